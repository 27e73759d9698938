"""Configuration profiles, read from environment variables.

embedded   no variables set: SQLite in instance/, a filesystem Celery broker, mail to a folder,
           generated secrets in a keys folder outside instance/
production WELLBEING_ENV=production: PostgreSQL, Redis, SMTP; refuses to start without secrets
test       built by the test suite, with the database and broker it was given
"""
import ipaddress
import os
import sys
import uuid
from pathlib import Path

from kombu import Queue

ROOT = Path(__file__).resolve().parent.parent
REQUIRED_IN_PRODUCTION = ("SECRET_KEY", "PAIRING_KEY")


class ConfigError(RuntimeError):
    """A setting is missing or wrong; the message says which."""


def _instance_dir() -> Path:
    path = Path(os.environ.get("WELLBEING_INSTANCE", ROOT / "instance"))
    # The embedded database, the queue and the mail folder live here: readable by the
    # account that runs Wellbeing only.
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    if path.stat().st_uid == os.getuid() and path.stat().st_mode & 0o077:
        path.chmod(0o700)
    return path


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _normalise_db_url(url: str) -> str:
    # psycopg 3 is the driver; accept the common postgres:// spellings.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _per_installation(instance: Path, variable: str, xdg: str, fallback: str,
                      what: str) -> Path:
    """The folder `variable` names, else <$xdg or ~/fallback>/wellbeing/<installation id>."""
    chosen = os.environ.get(variable)
    if chosen:
        return Path(chosen)
    marker = instance / "installation-id"  # not a secret: it only names the folder
    if not marker.exists():
        marker.write_text(uuid.uuid4().hex)
    try:
        base = Path(os.environ.get(xdg) or Path.home() / fallback)
    except RuntimeError as error:  # no home folder
        raise ConfigError(f"Set {variable} to a folder outside {instance} for {what}.") \
            from error
    return base / "wellbeing" / marker.read_text().strip()


def _ratelimit_file(instance: Path) -> str:
    """Without Redis, sign-in rate limits are counted in a SQLite file that every web
    process shares (one count per machine, not per gunicorn worker). It sits outside
    instance/ so a copy of the database folder does not carry it; it holds no address
    (keys are digests) and may be deleted at any time."""
    folder = _per_installation(instance, "WELLBEING_STATE", "XDG_STATE_HOME",
                               ".local/state", "the rate-limit counts")
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return str(folder / "ratelimits.sqlite")


def _keys_dir(instance: Path) -> Path:
    """Where the embedded profile keeps the secrets it generates: never in instance/,
    which holds the database, so that a copy of that folder (a backup, a copied demo)
    cannot re-link answers, open sealed ones, read journals or sign sessions.
    WELLBEING_KEYS, else ~/.config/wellbeing/<this installation's id>."""
    path = _per_installation(instance, "WELLBEING_KEYS", "XDG_CONFIG_HOME", ".config",
                             "Wellbeing's generated keys")
    if path.resolve().is_relative_to(instance.resolve()):
        raise ConfigError(f"WELLBEING_KEYS ({path}) must not be inside WELLBEING_INSTANCE "
                          f"({instance}): a copy of that folder would hold the keys too.")
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def _write_secret(path: Path, value: str) -> str:
    """Write `value` to `path` unless it holds a secret already; returns what it holds.
    Web, worker and beat start together: whichever writes first wins, whole, and every
    process then reads that one (two processes must never use two different keys)."""
    part = path.with_name(f".{path.name}.{uuid.uuid4().hex}.part")
    part.write_text(value)
    part.chmod(0o600)
    try:
        os.link(part, path)
    except FileExistsError:
        pass
    finally:
        part.unlink()
    return path.read_text().strip()


def _embedded_secret(instance: Path, name: str) -> str:
    """A per-installation random secret, so the embedded profile works with no settings
    and still never uses a secret shipped in the code. One kept in instance/ by an older
    version is moved out, not replaced: a new PAIRING_KEY would unpair every answer."""
    keys = _keys_dir(instance)
    path, old = keys / f"{name.lower()}.txt", instance / f"{name.lower()}.txt"
    try:
        value = old.read_text().strip()
    except FileNotFoundError:
        value = None  # nothing to move (or another process just moved it)
    if value is not None:
        if _write_secret(path, value) != value:
            raise ConfigError(f"{name} is in both {old} and {path}, and they differ. Keep "
                              f"the one this database was used with, in {path}, and delete "
                              "the other.")
        old.unlink(missing_ok=True)
        print(f"Wellbeing moved {name} from {old} to {path}, so that a copy of {instance} "
              "no longer holds it. Back it up apart from the database (README, 'Keys').",
              file=sys.stderr, flush=True)
    if not path.exists():
        if (instance / "wellbeing.db").exists() and not os.environ.get("DATABASE_URL"):
            raise ConfigError(f"{instance / 'wellbeing.db'} exists but its {name} is not in "
                              f"{path}. Restore the keys folder from your backup (or set "
                              f"{name}); a new key would not match the data.")
        return _write_secret(path, os.urandom(32).hex())
    return path.read_text().strip()


def _networks(name: str, default: str) -> list:
    """A comma-separated list of networks (10.0.0.0/8, 192.168.1.7, ::1); empty: none."""
    networks = []
    for part in filter(None, (p.strip() for p in os.environ.get(name, default).split(","))):
        try:
            networks.append(ipaddress.ip_network(part, strict=False))
        except ValueError as error:
            raise ConfigError(f"{name}: {part!r} is not a network or address "
                              "(write e.g. 10.0.0.0/8, 192.168.1.7 or ::1).") from error
    return networks


def load(overrides: dict | None = None) -> dict:
    env = os.environ
    profile = (overrides or {}).get("PROFILE") or env.get("WELLBEING_ENV", "embedded")
    instance = _instance_dir()
    production = profile == "production"
    if production:
        missing = [name for name in REQUIRED_IN_PRODUCTION if not env.get(name)]
        if missing:
            raise ConfigError(
                "Wellbeing will not start in production without "
                + " and ".join(missing)
                + ". Set them as environment variables (see README, 'Settings')."
            )
    # REDIS_URL decides several settings below, so an override of it counts here too.
    redis_url = (overrides or {}).get("REDIS_URL") or env.get("REDIS_URL")
    broker_dir = instance / "broker"
    if not redis_url:
        for sub in ("queue", "processed", "control"):
            (broker_dir / sub).mkdir(parents=True, exist_ok=True)
    cfg = {
        "PROFILE": profile,
        "INSTANCE_DIR": str(instance),
        "SECRET_KEY": env.get("SECRET_KEY") or _embedded_secret(instance, "SECRET_KEY"),
        "PAIRING_KEY": env.get("PAIRING_KEY") or _embedded_secret(instance, "PAIRING_KEY"),
        "JOURNAL_KEY": env.get("JOURNAL_KEY") or env.get("SECRET_KEY")
        or _embedded_secret(instance, "JOURNAL_KEY"),
        "SQLALCHEMY_DATABASE_URI": _normalise_db_url(
            env.get("DATABASE_URL", f"sqlite:///{instance / 'wellbeing.db'}")
        ),
        # Stale connections are caught by wellbeing.core.db_liveness, without a ping per request.
        "SQLALCHEMY_ENGINE_OPTIONS": {},
        "REDIS_URL": redis_url,
        "CELERY": {
            "broker_url": redis_url or "filesystem://localhost//",
            # Without Redis: a folder, written so a worker never reads half a message.
            "broker_transport": None if redis_url else "wellbeing.core.folder_broker:Transport",
            "broker_transport_options": {} if redis_url else {
                "data_folder_in": str(broker_dir / "queue"),
                "data_folder_out": str(broker_dir / "queue"),
                "processed_folder": str(broker_dir / "processed"),
                # kombu's default is ./control, relative to wherever a process started.
                "control_folder": str(broker_dir / "control"),
                "store_processed": False,
            },
            # Workers read both: single messages someone waits for (sign-in links) go
            # to "urgent", bulk sending to the default queue.
            "task_queues": (Queue("urgent"), Queue("celery")),
            "task_default_queue": "celery",
            "task_ignore_result": True,
            "task_acks_late": True,
            "task_reject_on_worker_lost": True,
            "worker_prefetch_multiplier": 1,
            "timezone": "UTC",
            "enable_utc": True,
            "beat_schedule_filename": str(instance / "celerybeat-schedule"),
            "broker_connection_retry_on_startup": True,
        },
        # Redis when there is one; else a file shared by every web process on the machine.
        "RATELIMIT_STORAGE_URI": redis_url or (
            (overrides or {}).get("RATELIMIT_STORAGE_URI")
            or f"wellbeing-sqlite://{_ratelimit_file(instance)}"),
        "RATELIMIT_HEADERS_ENABLED": False,
        "URGENT_QUEUE": "urgent",
        "SMTP_HOST": env.get("SMTP_HOST"),
        "SMTP_PORT": int(env.get("SMTP_PORT", "25")),
        "SMTP_USER": env.get("SMTP_USER"),
        "SMTP_PASSWORD": env.get("SMTP_PASSWORD"),
        "SMTP_STARTTLS": _bool("SMTP_STARTTLS", False),
        "MAIL_FROM": env.get("MAIL_FROM", "Wellbeing <wellbeing@localhost>"),
        "MAIL_FOLDER": str(instance / "mail"),
        "BASE_URL": env.get("BASE_URL", "http://127.0.0.1:5000").rstrip("/"),
        "SESSION_COOKIE_SECURE": _bool("SESSION_COOKIE_SECURE", production),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": _bool("SESSION_COOKIE_SECURE", production),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "PERMANENT_SESSION_LIFETIME": 60 * 60 * 12,
        "MAX_CONTENT_LENGTH": int(env.get("MAX_UPLOAD_BYTES", str(5 * 1024 * 1024))),
        # How many reverse proxies (the HTTPS terminator, a load balancer) stand in front:
        # their X-Forwarded-For/-Proto headers are then believed, so rate limits count
        # each person's address rather than the proxy's. 0 trusts no such header.
        "TRUSTED_PROXIES": int(env.get("TRUSTED_PROXIES", "0")),
        "WTF_CSRF_TIME_LIMIT": 60 * 60 * 8,
        "SIGNIN_LINK_MINUTES": 15,
        # Asking for a sign-in link is answered after at least this long, whether or not
        # the address has an account, so response times do not tell which addresses do.
        "SIGNIN_ANSWER_SECONDS": float(env.get("SIGNIN_ANSWER_SECONDS", "0.15")),
        "SIGNIN_RATE_PER_ADDRESS": env.get("SIGNIN_RATE_PER_ADDRESS", "20/minute"),
        "SIGNIN_RATE_PER_ACCOUNT": env.get("SIGNIN_RATE_PER_ACCOUNT", "5/15minutes"),
        # Who may read /metrics and the figures on /healthz (README, "Settings").
        "METRICS_ALLOW_FROM": _networks("METRICS_ALLOW_FROM", "127.0.0.0/8,::1"),
        "METRICS_TOKEN": env.get("METRICS_TOKEN") or None,
        "SHOW_DEV_MAILBOX": profile == "embedded" and not env.get("SMTP_HOST"),
    }
    cfg.update(overrides or {})
    return cfg
