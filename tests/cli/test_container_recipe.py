"""The Dockerfile's recipe, checked and replayed without a Docker engine (this machine has none).

The replay copies what the Dockerfile copies into an empty folder, runs its requirements step, installs the
package from that folder as the image does (not the editable checkout), then starts the image's command
with the image's environment from that folder and runs the image's HEALTHCHECK command against it.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

from tests.cli.server import free_port, running_service

REPO = Path(__file__).resolve().parents[2]
IMAGE_PORT = "8000"


def instructions() -> list[tuple[str, str]]:
    """The Dockerfile's instructions as (KEYWORD, arguments), continuation lines joined."""
    text = (REPO / "Dockerfile").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    steps = []
    for line in "\n".join(lines).replace("\\\n", " ").splitlines():
        keyword, _, arguments = line.strip().partition(" ")
        if keyword:
            steps.append((keyword.upper(), arguments.strip()))
    return steps


def arguments_of(keyword: str) -> list[str]:
    """The arguments of every ``keyword`` instruction, in order."""
    return [arguments for name, arguments in instructions() if name == keyword]


def image_environment() -> dict[str, str]:
    """Every variable the Dockerfile's ENV instructions set."""
    pairs = [pair for arguments in arguments_of("ENV") for pair in shlex.split(arguments)]
    return dict(pair.split("=", 1) for pair in pairs)


def test_the_image_is_slim_python_of_the_projects_version_and_runs_as_a_user_with_a_healthcheck():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    image = re.fullmatch(r"python:(\d+\.\d+)-slim", arguments_of("FROM")[0])
    assert image and image.group(1) in SpecifierSet(project["requires-python"])
    assert arguments_of("USER")[-1] not in ("root", "0")
    assert "/healthz" in arguments_of("HEALTHCHECK")[0]
    assert "CASEWORK_WORKERS" in image_environment()


def test_dependencies_are_installed_in_a_layer_before_the_code_is_copied():
    steps = instructions()
    copies = [index for index, (name, _) in enumerate(steps) if name == "COPY"]
    dependencies = next(index for index, (name, text) in enumerate(steps) if name == "RUN" and "-r" in text)
    assert steps[copies[0]][1].split() == ["pyproject.toml", "./"]
    assert copies[0] < dependencies < copies[1]


@pytest.mark.slow
@pytest.mark.server
def test_the_image_recipe_installs_the_models_with_the_package_and_passes_its_healthcheck(tmp_path):
    app = tmp_path / "app"
    app.mkdir()
    for arguments in arguments_of("COPY"):
        *sources, destination = arguments.split()
        for source in sources:
            target = app / destination / Path(source).name if destination.endswith("/") else app / destination
            if (REPO / source).is_dir():
                shutil.copytree(REPO / source, target, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copy(REPO / source, target)
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"

    # The dependencies layer: its requirements are the project's, and this environment satisfies them.
    requirements_step = next(text for text in arguments_of("RUN") if "-r" in text).split(" && ")[0]
    listing = tmp_path / "requirements.txt"
    subprocess.run(
        ["bash", "-c", requirements_step.replace("/tmp/requirements.txt", str(listing))],
        cwd=app,
        env={**os.environ, "PATH": path},
        check=True,
    )
    for line in listing.read_text(encoding="utf-8").split():
        requirement = Requirement(line)
        try:
            installed = version(requirement.name)
        except PackageNotFoundError:
            pytest.fail(f"{requirement.name} is not installed")
        assert requirement.specifier.contains(installed, prereleases=True), (requirement, installed)

    # The code layer: `pip install --no-deps .` from the copied folder, not the editable checkout.
    site = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--target",
            str(site),
            str(app),
        ],
        check=True,
    )
    port = str(free_port())
    environment = {key: value for key, value in os.environ.items() if not key.startswith("CASEWORK_")}
    environment |= image_environment() | {
        "CASEWORK_PORT": port,
        "CASEWORK_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(site),
        "PATH": path,
        "HOME": str(tmp_path),
    }
    located = subprocess.run(
        [sys.executable, "-c", "import models.locations as m; print(m.DEFAULT_MODEL_DIR)"],
        env=environment,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    model_dir = Path(located.stdout.strip())
    assert model_dir.is_relative_to(site) and (model_dir / "model_card.json").is_file(), (
        "the trained models must come with the installed package"
    )

    command = json.loads(arguments_of("CMD")[-1])
    command[0] = str(site / "bin" / command[0])
    healthcheck = arguments_of("HEALTHCHECK")[0].split(" CMD ", 1)[1].replace(f":{IMAGE_PORT}/", f":{port}/")
    with running_service(command, environment, int(port), cwd=app, timeout=120):
        probe = subprocess.run(["bash", "-c", healthcheck], env=environment, cwd=app, timeout=30)
    assert probe.returncode == 0
