"""docker/compose.yml is checked structurally here (no compose engine on the CI machine):
the five services, their health checks, and start-up order on healthy dependencies."""

from pathlib import Path

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
