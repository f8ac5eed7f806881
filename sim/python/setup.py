"""Builds the _interdict extension with the repository's CMake build (the same flags and code as
./run.sh) and installs it beside the `interdict` package. INTERDICT_CMAKE_BUILD_DIR names a build
tree to use (an existing one builds only what changed); else a fresh one in setuptools' build
directory. INTERDICT_SOURCE_DIR names the repository when this directory was copied elsewhere."""
import os
import pathlib
import shutil
import subprocess

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

REPOSITORY = pathlib.Path(os.environ.get("INTERDICT_SOURCE_DIR")
                          or pathlib.Path(__file__).resolve().parents[2])


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        build = pathlib.Path(os.environ.get("INTERDICT_CMAKE_BUILD_DIR")
                             or pathlib.Path(self.build_temp).resolve() / "cmake")
        if not (build / "CMakeCache.txt").exists():
            subprocess.run(["cmake", "-S", str(REPOSITORY), "-B", str(build),
                            "-DCMAKE_BUILD_TYPE=Release", "-DINTERDICT_BUILD_BENCHMARKS=OFF",
                            "-DBUILD_TESTING=OFF"], check=True)
        subprocess.run(["cmake", "--build", str(build), "--target", "_interdict", "-j",
                        str(os.cpu_count() or 1)], check=True)
        built = sorted((build / "python").glob("_interdict*.so"))
        if not built:
            raise RuntimeError(f"CMake built no _interdict module in {build / 'python'}")
        target = pathlib.Path(self.get_ext_fullpath(ext.name))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(built[-1], target)


setup(ext_modules=[Extension("_interdict", sources=[])], cmdclass={"build_ext": CMakeBuild})
