"""The app built the way production builds it (`wellbeing.wsgi`: create_app() with no
overrides, WELLBEING_ENV=production and its required secrets in the environment), on the
test tier's database, and a test client that sends Referer headers as a browser does."""
import itertools
import os
import re
from urllib.parse import urlsplit

import pytest

SITE = "https://wellbeing.example"
_addresses = itertools.cycle(range(1, 255))


def build_production_app(test_app):
    """create_app() reads only the environment, as gunicorn's `wellbeing.wsgi:app` does.
    The extensions are shared objects: what init_app() changes on them for this app is
    put back by `restore` so the rest of the suite keeps its own."""
    from wellbeing import create_app
    from wellbeing.extensions import limiter
    saved_limiter = dict(limiter.__dict__)
    env = {"WELLBEING_ENV": "production", "SECRET_KEY": os.urandom(32).hex(),
           "PAIRING_KEY": test_app.config["PAIRING_KEY"],
           "JOURNAL_KEY": test_app.config["JOURNAL_KEY"],
           "DATABASE_URL": test_app.config["SQLALCHEMY_DATABASE_URI"],
           "BASE_URL": SITE}
    with pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        if test_app.config.get("REDIS_URL"):
            patch.setenv("REDIS_URL", test_app.config["REDIS_URL"])
        else:
            patch.delenv("REDIS_URL", raising=False)
        for name in ("SMTP_HOST", "SESSION_COOKIE_SECURE", "TRUSTED_PROXIES"):
            patch.delenv(name, raising=False)
        production = create_app()

    def restore():
        limiter.__dict__.update(saved_limiter)
        test_app.extensions["celery"].set_default()
    return production, restore


class BrowserLikeClient:
    """A test client over HTTPS that sends the Referer a browser would: the page the form
    was on, cut down by that page's Referrer-Policy."""

    def __init__(self, app):
        # Each its own network address, as separate people are (rate limits count by it).
        self.client = app.test_client()
        self.client.environ_base["REMOTE_ADDR"] = f"10.{next(_addresses)}.0.1"
        self.page_url = None
        self.policy = "strict-origin-when-cross-origin"

    def _referer(self):
        if self.page_url is None or self.policy == "no-referrer":
            return None
        if self.policy in ("origin", "strict-origin", "strict-origin-when-cross-origin"):
            parts = urlsplit(self.page_url)  # same origin here: only forms of ours post
            return f"{parts.scheme}://{parts.netloc}/" if self.policy != \
                "strict-origin-when-cross-origin" else self.page_url
        return self.page_url  # same-origin, no-referrer-when-downgrade, unsafe-url

    def _open(self, method, path, **kwargs):
        headers = dict(kwargs.pop("headers", {}))
        referer = self._referer()
        if referer and "Referer" not in headers:
            headers["Referer"] = referer
        response = self.client.open(path, method=method, base_url=SITE, headers=headers,
                                    **kwargs)
        if response.mimetype == "text/html" and response.status_code < 300:
            self.page_url = SITE + path
            self.policy = response.headers.get("Referrer-Policy", self.policy)
        return response

    def get(self, path, **kwargs):
        return self._open("GET", path, **kwargs)

    def post(self, path, **kwargs):
        return self._open("POST", path, **kwargs)


def form_token(html: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def sign_in(app, user) -> BrowserLikeClient:
    """Through the emailed link's confirm page and its button, as a person does."""
    from wellbeing.auth.service import issue_link
    from wellbeing.extensions import db
    token = issue_link(user)
    db.session.commit()
    browser = BrowserLikeClient(app)
    page = browser.get(f"/signin/link/{token}")
    assert page.status_code == 200
    response = browser.post(f"/signin/link/{token}",
                            data={"csrf_token": form_token(page.get_data(as_text=True))})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return browser
