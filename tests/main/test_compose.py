"""docker-compose.yml cannot run here (no Docker engine), so it is checked by reading."""
from pathlib import Path

import yaml

from wellbeing.config import REQUIRED_IN_PRODUCTION

COMPOSE = yaml.safe_load((Path(__file__).resolve().parents[2] / "docker-compose.yml").read_text())


def test_every_service_is_there_with_a_healthcheck():
    services = COMPOSE["services"]
    assert set(services) == {"web", "worker", "beat", "postgres", "redis", "mail"}
    assert all("healthcheck" in service for service in services.values())


def test_app_services_get_the_production_settings_and_wait_for_their_services():
    for name in ("web", "worker", "beat"):
        service = COMPOSE["services"][name]
        env = service["environment"]
        assert env["WELLBEING_ENV"] == "production"
        for secret in REQUIRED_IN_PRODUCTION:
            assert env[secret].startswith("${" + secret + ":?")  # compose refuses without it
        assert env["DATABASE_URL"].startswith("postgresql://") and "@postgres:" in env[
            "DATABASE_URL"]
        assert env["REDIS_URL"] == "redis://redis:6379/0"
        assert env["SMTP_HOST"].startswith("${SMTP_HOST:-mail}")
        assert service["depends_on"]["postgres"]["condition"] == "service_healthy"


def test_processes_are_the_ones_production_uses():
    services = COMPOSE["services"]
    assert "gunicorn" in " ".join(services["web"]["command"])
    assert "wellbeing db upgrade" in " ".join(services["web"]["command"])
    assert services["worker"]["command"][:4] == ["celery", "-A", "tasks", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "tasks", "beat"]
