"""The wheel: built from this repository, installed into a fresh virtual environment away from the source tree,
it starts a site with `init`, builds it, and builds this repository's site exactly as the source tree does."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from healthsite import __version__
from healthsite.pipeline import Options, build
from tests.conftest import REPO, copy_site

PACKAGE = REPO / "healthsite"


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under a folder by relative path."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


class Venv:
    """A virtual environment with only the wheel of healthsite installed (the libraries it uses are the test
    environment's, reached through a .pth file), run from folders outside the source tree."""

    def __init__(self, folder: Path, wheel: Path) -> None:
        self.folder, self.wheel = folder, wheel
        self.bin = folder / ("Scripts" if os.name == "nt" else "bin")

    def run(self, *argv: str, cwd: Path) -> subprocess.CompletedProcess:
        """A command of the environment's bin folder (healthsite, python), in `cwd`, without PYTHONPATH."""
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP")}
        env["PATH"] = f"{self.bin}{os.pathsep}{env.get('PATH', '')}"
        return subprocess.run([str(self.bin / argv[0]), *argv[1:]], cwd=cwd, env=env, capture_output=True,
                              text=True, timeout=120)


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Venv:
    """Build the wheel, make a fresh environment and install the wheel alone into it."""
    work = tmp_path_factory.mktemp("wheel")
    tree_copy = work / "src"  # what the wheel is built from, copied: no stale build/ folder, nothing written here
    shutil.copytree(PACKAGE, tree_copy / "healthsite", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, tree_copy / name)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(work / "dist"),
                    str(tree_copy)], check=True, capture_output=True, timeout=300)
    [wheel] = (work / "dist").glob("healthsite-*.whl")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(work / "venv")], check=True, timeout=120)
    made = Venv(work / "venv", wheel)
    found = made.run("python", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=work)
    libraries = {sysconfig.get_paths()[key] for key in ("purelib", "platlib")}
    (Path(found.stdout.strip()) / "test-libraries.pth").write_text("\n".join(sorted(libraries)) + "\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(made.bin / "python"), "install", "--no-deps",
                    "--force-reinstall", "-q", str(wheel)], check=True, capture_output=True, timeout=300)
    return made


def test_the_installed_package_is_the_wheels(venv: Venv, tmp_path: Path) -> None:
    """`import healthsite` resolves inside the environment, not to the source tree."""
    result = venv.run("python", "-c", "import healthsite; print(healthsite.__file__)", cwd=tmp_path)
    where = Path(result.stdout.strip())
    assert where.is_relative_to(venv.folder) and not where.is_relative_to(REPO), result


def test_every_package_file_is_in_the_wheel(venv: Venv) -> None:
    """The theme, the catalogs, the fonts, the dashboard's template, the starter site and every module."""
    names = set(zipfile.ZipFile(venv.wheel).namelist())
    source = {f"healthsite/{name}" for name in (p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*")
                                                if p.is_file()) if "__pycache__" not in name}
    assert source - names == set()
    assert {"healthsite/locale/es/LC_MESSAGES/messages.po", "healthsite/theme/templates/base.html",
            "healthsite/theme/static/style.css", "healthsite/starter/gitignore", "healthsite/commands/dashboard.html",
            "healthsite/fonts/DejaVuSans.ttf", "healthsite/mdext/citations.py"} <= names


def test_version_from_the_console_script(venv: Venv, tmp_path: Path) -> None:
    """`healthsite --version` prints the version."""
    result = venv.run("healthsite", "--version", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, f"healthsite {__version__}\n")


def test_init_then_build_and_override_one_template(venv: Venv, tmp_path: Path) -> None:
    """`healthsite init mysite && cd mysite && healthsite build` works; one override changes only its page."""
    made = venv.run("healthsite", "init", "mysite", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    site = tmp_path / "mysite"
    for command in (["build"], ["check"]):
        result = venv.run("healthsite", *command, cwd=site)
        assert result.returncode == 0 and ": error: " not in result.stderr, result.stderr
    before = tree(site / "_site")
    assert "lower-back-pain-first-steps/index.html" in before
    (site / "templates" / "404.html").write_text("{% extends 'base.html' %}\n{% block main %}\n<h1>Not here</h1>\n"
                                                 "{% endblock %}\n")
    result = venv.run("healthsite", "build", cwd=site)
    assert result.returncode == 0, result.stderr
    after = tree(site / "_site")
    assert sorted(name for name in after if after[name] != before.get(name)) == ["404.html"]
    assert b"<h1>Not here</h1>" in after["404.html"]


def test_this_site_built_with_the_wheel_equals_the_source_build(venv: Venv, tmp_path: Path) -> None:
    """Every output file of this repository's site is the same from the wheel as from the source tree, the
    Spanish interface strings included."""
    build(Options(copy_site(REPO, tmp_path / "source"), tmp_path / "source-out", jobs=1))
    copy_site(REPO, tmp_path / "installed")
    result = venv.run("healthsite", "build", "-q", cwd=tmp_path / "installed")
    assert result.returncode == 0, result.stderr
    source, installed = tree(tmp_path / "source-out"), tree(tmp_path / "installed" / "_site")
    assert sorted(source) == sorted(installed)
    assert [name for name in source if source[name] != installed[name]] == []
    spanish = installed["es/index.html"].decode()
    assert "Leer más" in spanish and 'lang="es-US"' in spanish and "Read More" not in spanish


def test_the_installed_dev_server_reads_its_reload_script(venv: Venv, tmp_path: Path) -> None:
    """The live-reload script is a file of the package, read from the installed wheel, never one of a site's."""
    code = "from healthsite.serving.livereload import script; import sys; sys.stdout.buffer.write(script())"
    result = venv.run("python", "-c", code, cwd=tmp_path)
    assert result.returncode == 0 and result.stdout.encode() == (PACKAGE / "theme/devserver/reload.js").read_bytes()
    assert result.stdout.startswith("// healthsite dev server: reload after a good build")
