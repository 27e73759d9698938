"""The web shell around the areas: blueprints, error pages, security headers and
template helpers. It sits above every area and below only the CLI."""
from flask import Flask

from .blueprints import register_blueprints
from .errors import register_errors
from .security import install as install_security
from .templating import register_template_helpers


def install(app: Flask) -> None:
    install_security(app)
    register_blueprints(app)
    register_errors(app)
    register_template_helpers(app)
