"""Wellbeing: a workplace wellbeing program manager."""
from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from . import config as config_module
from .core.db_liveness import install as install_liveness
from .core.sqlite_rules import install as install_sqlite_rules
from .extensions import celery_init_app, csrf, db, limiter, login_manager, migrate

ROOT = config_module.ROOT


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__, template_folder=str(ROOT / "templates"),
                instance_path=str(config_module.ROOT / "instance"))
    app.config.update(config_module.load(config))
    if app.config["TRUSTED_PROXIES"]:
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    db.init_app(app)
    with app.app_context():
        install_liveness(db.engine)
        install_sqlite_rules(db.engine)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    celery_init_app(app)

    from . import models  # noqa: F401 - register every table on the metadata
    from .surveys.key_check import install as refuse_another_pairing_key
    from .web import install as install_web

    install_web(app)
    refuse_another_pairing_key(app)
    return app
