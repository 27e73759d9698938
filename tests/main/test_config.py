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


@pytest.fixture
def embedded(monkeypatch, tmp_path):
    """The embedded profile with nothing set: keys go to ~/.config (here a temporary one)."""
    for name in ("WELLBEING_ENV", "SECRET_KEY", "PAIRING_KEY", "JOURNAL_KEY", "DATABASE_URL",
                 "REDIS_URL", "WELLBEING_KEYS"):
        monkeypatch.delenv(name, raising=False)
    instance = tmp_path / "instance"
    monkeypatch.setenv("WELLBEING_INSTANCE", str(instance))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return instance


def _keys_folder(tmp_path):
    [folder] = (tmp_path / "config" / "wellbeing").iterdir()
    return folder


def test_embedded_keys_live_outside_the_instance_folder(embedded, tmp_path):
    """instance/ holds the database; a copy of it (a backup) must not hold the keys that
    re-link answers, open sealed ones, read journals or sign sessions."""
    cfg = load()
    secrets = [cfg[name] for name in ("SECRET_KEY", "PAIRING_KEY", "JOURNAL_KEY")]
    assert len(set(secrets)) == 3 and all(len(s) == 64 for s in secrets)
    for path in embedded.rglob("*"):
        if path.is_file():
            assert not any(s in path.read_text(errors="ignore") for s in secrets), path
    folder = _keys_folder(tmp_path)
    assert folder.name == (embedded / "installation-id").read_text()
    assert (folder / "pairing_key.txt").read_text() == cfg["PAIRING_KEY"]
    assert folder.stat().st_mode & 0o777 == 0o700
    assert (folder / "pairing_key.txt").stat().st_mode & 0o777 == 0o600
    assert load()["PAIRING_KEY"] == cfg["PAIRING_KEY"]  # kept, not made again


def test_a_key_an_older_version_kept_in_instance_is_moved_not_replaced(embedded, tmp_path,
                                                                       capsys):
    embedded.mkdir(mode=0o700)
    (embedded / "pairing_key.txt").write_text("older-pairing-key\n")
    cfg = load()
    assert cfg["PAIRING_KEY"] == "older-pairing-key"  # every answer still pairs
    assert not (embedded / "pairing_key.txt").exists()
    moved = _keys_folder(tmp_path) / "pairing_key.txt"
    assert moved.read_text() == "older-pairing-key"
    said = capsys.readouterr().err
    assert f"moved PAIRING_KEY from {embedded / 'pairing_key.txt'} to {moved}" in said
    assert load()["PAIRING_KEY"] == "older-pairing-key"
    assert "moved" not in capsys.readouterr().err


def test_two_different_copies_of_a_key_refuse_to_start(embedded, tmp_path):
    load()
    (embedded / "pairing_key.txt").write_text("another key")
    with pytest.raises(ConfigError, match="PAIRING_KEY is in both .* and they differ"):
        load()
    assert (embedded / "pairing_key.txt").exists()  # nothing was overwritten


def test_a_database_whose_keys_are_missing_refuses_to_start(embedded, tmp_path):
    """Restored instance/ without its keys: new keys would silently unpair everyone."""
    load()
    (embedded / "wellbeing.db").write_bytes(b"SQLite format 3\x00")
    for key in _keys_folder(tmp_path).iterdir():
        key.unlink()
    with pytest.raises(ConfigError, match="Restore the keys folder"):
        load()


def test_the_keys_folder_may_not_be_inside_instance(embedded, monkeypatch):
    monkeypatch.setenv("WELLBEING_KEYS", str(embedded / "keys"))
    with pytest.raises(ConfigError, match="must not be inside WELLBEING_INSTANCE"):
        load()


def test_without_redis_rate_limits_are_counted_in_a_file_outside_instance(embedded,
                                                                           monkeypatch, tmp_path):
    monkeypatch.delenv("WELLBEING_STATE", raising=False)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    cfg = load()
    installation = (embedded / "installation-id").read_text().strip()
    expected = tmp_path / "state" / "wellbeing" / installation / "ratelimits.sqlite"
    assert cfg["RATELIMIT_STORAGE_URI"] == f"wellbeing-sqlite://{expected}"
    assert not expected.is_relative_to(embedded)


def test_a_metrics_network_that_is_not_one_is_refused_at_start_with_its_name(monkeypatch):
    monkeypatch.setenv("METRICS_ALLOW_FROM", "10.0.0.0/8, prometheus.internal")
    with pytest.raises(ConfigError) as error:
        load()
    assert "METRICS_ALLOW_FROM: 'prometheus.internal' is not a network" in str(error.value)
    monkeypatch.setenv("METRICS_ALLOW_FROM", "10.0.0.0/8, 192.168.1.7")
    assert [str(n) for n in load()["METRICS_ALLOW_FROM"]] == ["10.0.0.0/8", "192.168.1.7/32"]
