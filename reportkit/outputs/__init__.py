"""What the coordinator gets from the store: the inlämning list and ``explain``
(:mod:`~reportkit.outputs.explain`), and the workbooks sent out, with the Underlag of the levels
below and a unit's earlier answers prefilled (:mod:`~reportkit.outputs.outbox`,
:mod:`~reportkit.outputs.prefill`)."""
