"""Copy the user artefacts (templates/, fixtures/) into the wheel as reportkit/_data.

They live at the top of the repository so a kommun finds and restyles them there; a plain
`pip install .` must still carry them, so the build copies them into the package.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).parent
DATA_DIRS = ("templates", "fixtures")


class BuildWithData(build_py):
    def run(self) -> None:
        super().run()
        target = Path(self.build_lib) / "reportkit" / "_data"
        for name in DATA_DIRS:
            src = HERE / name
            if src.is_dir():
                dst = target / name
                if dst.exists():
                    shutil.rmtree(dst)
                shutil.copytree(src, dst, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


setup(cmdclass={"build_py": BuildWithData})
