import pytest

from wellbeing.config import ConfigError, load


@pytest.mark.parametrize("present, missing", [
    ({}, "SECRET_KEY and PAIRING_KEY"),
    ({"SECRET_KEY": "s" * 32}, "PAIRING_KEY"),
    ({"PAIRING_KEY": "p" * 32}, "SECRET_KEY"),
])
def test_production_refuses_to_start_without_secrets_and_names_them(monkeypatch, present,
                                                                     missing):
    monkeypatch.setenv("WELLBEING_ENV", "production")
    for name in ("SECRET_KEY", "PAIRING_KEY"):
        monkeypatch.delenv(name, raising=False)
    for name, value in present.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as error:
        load()
    assert f"without {missing}." in str(error.value)


def test_production_reads_services_from_the_environment(monkeypatch):
    monkeypatch.setenv("WELLBEING_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "s" * 32)
    monkeypatch.setenv("PAIRING_KEY", "p" * 32)
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db:5432/wellbeing")
    monkeypatch.setenv("REDIS_URL", "redis://redis:6379/0")
    cfg = load()
    assert cfg["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u:p@db:5432/wellbeing"
    assert cfg["CELERY"]["broker_url"] == "redis://redis:6379/0"
    assert cfg["RATELIMIT_STORAGE_URI"] == "redis://redis:6379/0"
    assert cfg["SESSION_COOKIE_SECURE"] is True
    assert cfg["SESSION_COOKIE_HTTPONLY"] is True
    assert cfg["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_embedded_profile_needs_no_settings_and_keeps_secrets_out_of_the_code(monkeypatch,
                                                                               tmp_path):
    for name in ("WELLBEING_ENV", "SECRET_KEY", "PAIRING_KEY", "DATABASE_URL", "REDIS_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("WELLBEING_INSTANCE", str(tmp_path))
    first, second = load(), load()
    assert first["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'wellbeing.db'}"
    assert first["CELERY"]["broker_url"] == "filesystem://localhost//"
    assert first["CELERY"]["broker_transport"] == "wellbeing.core.folder_broker:Transport"
    assert len(first["SECRET_KEY"]) == 64 and first["SECRET_KEY"] == second["SECRET_KEY"]
    assert first["PAIRING_KEY"] != first["SECRET_KEY"]
