"""Signing in and out: the sign-in page (an emailed link for everyone, a password for
staff), the link confirm step that keeps mail scanners from using a link, and sign-out."""
import time
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user

from ..core.pages import rerender_on_csrf_error
from ..extensions import db, limiter
from . import service
from .forms import ChoosePasswordForm, ConfirmLinkForm, LinkRequestForm, PasswordSignInForm
from .models import User
from .passwords import hash_password

bp = Blueprint("auth", __name__)


def _account_key() -> str:
    return "account:" + service.normalise_email(request.form.get("email", ""))


def _per_address():
    return current_app.config["SIGNIN_RATE_PER_ADDRESS"]


def _per_account():
    return current_app.config["SIGNIN_RATE_PER_ACCOUNT"]


def _safe_next(target: str | None) -> str | None:
    """Only same-site paths: never redirect a sign-in to another host. Browsers read a
    backslash as a slash and drop tabs and line breaks (`/\\evil`, `/<tab>/evil` are
    `//evil` to them), so a path holding one, or any space or control character, is not
    ours either: our own paths arrive percent-encoded."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(c) <= 0x20 or ord(c) == 0x7F for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def _render_signin(password_form=None, link_form=None, status=200, link_sent=False):
    return render_template(
        "auth/signin.html",
        password_form=password_form or PasswordSignInForm(next=request.args.get("next")),
        link_form=link_form or LinkRequestForm(prefix="link"),
        link_sent=link_sent,
    ), status


@bp.get("/signin")
def signin():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    # Set by request_link just before it redirected here: say so once, with the address
    # the person typed, so a typo shows.
    sent_to = session.pop("link_sent_to", None)
    if sent_to is not None:
        return _render_signin(link_form=LinkRequestForm(prefix="link", formdata=None,
                                                        email=sent_to), link_sent=True)
    return _render_signin()


@bp.post("/signin")
@rerender_on_csrf_error
@limiter.limit(_per_address, methods=["POST"])
@limiter.limit(_per_account, key_func=_account_key, methods=["POST"],
               deduct_when=lambda response: response.status_code != 302)
def signin_password():
    form = PasswordSignInForm()
    if form.validate_on_submit():
        matches = service.check_password(form.email.data, form.password.data)
        if len(matches) == 1:
            login_user(matches[0])
            return redirect(_safe_next(form.next.data) or url_for("main.home"))
        if matches:  # the same address and password in several organisations: which one?
            session[CHOOSE] = {"ids": [u.id for u in matches], "next": form.next.data or ""}
            return redirect(url_for("auth.choose_account"))
        form.password.errors.append(
            "That email and password do not match. Check both and try again, or use "
            "an emailed sign-in link.")
    return _render_signin(password_form=form, status=200 if not form.errors else 400)


CHOOSE = "signin_choose_accounts"


@bp.route("/signin/choose", methods=["GET", "POST"])
@rerender_on_csrf_error
def choose_account():
    """After a password that opens accounts in several organisations: pick one. Only the
    accounts the password was checked against are offered, and only in this session."""
    waiting = session.get(CHOOSE) or {}
    choices = [user for user in (db.session.get(User, i) for i in waiting.get("ids", []))
               if user is not None and user.is_active]
    if not choices:
        return redirect(url_for("auth.signin"))
    form = ConfirmLinkForm()
    chosen = request.form.get("account", type=int)
    if form.validate_on_submit() and chosen in {user.id for user in choices}:
        session.pop(CHOOSE, None)
        login_user(next(user for user in choices if user.id == chosen))
        return redirect(_safe_next(waiting.get("next")) or url_for("main.home"))
    return render_template("auth/choose.html", choices=choices, form=form)


@bp.post("/signin/link")
@rerender_on_csrf_error
@limiter.limit(_per_address, methods=["POST"])
@limiter.limit("3/15minutes", key_func=lambda: "link-account:" + service.normalise_email(
    request.form.get("link-email", "")), methods=["POST"])
def request_link():
    started = time.monotonic()
    form = LinkRequestForm(prefix="link")
    if not form.validate_on_submit():
        return _render_signin(link_form=form, status=400)
    # One link for each organisation where the address has an account; each says which.
    for user in service.accounts(form.email.data):
        if user.is_active:
            service.issue_link(user)
    db.session.commit()
    # The same answer whether or not the address has an account, and in the same time:
    # making the link and its email takes a few milliseconds an unknown address does not.
    # A redirect, so reloading the page does not send another link.
    session["link_sent_to"] = form.email.data
    time.sleep(max(0.0, current_app.config["SIGNIN_ANSWER_SECONDS"]
                   - (time.monotonic() - started)))
    return redirect(url_for("auth.signin"), 303)


@bp.get("/signin/link/<token>")
def link(token):
    return _confirm_page(token)


def _confirm_page(token, form=None, status=200):
    try:
        row = service.peek_link(token)
    except service.LinkProblem as problem:
        return render_template("auth/link_problem.html", problem=str(problem),
                               link_form=LinkRequestForm(prefix="link")), 410
    return render_template("auth/link_confirm.html", form=form or ConfirmLinkForm(),
                           token=token,
                           email=_masked(db.session.get(User, row.user_id).email)), status


def _masked(email: str) -> str:
    """Enough of the address for its owner to recognise it: al…@northwind.example.com.
    Someone sent a link to another person's account can tell before signing in."""
    local, _, domain = email.partition("@")
    return f"{local[:2]}…@{domain}"


@bp.post("/signin/link/<token>")
@rerender_on_csrf_error
@limiter.limit(_per_address, methods=["POST"])
def use_link(token):
    form = ConfirmLinkForm()
    if not form.validate_on_submit():  # the page had expired: show it again, link unused
        return _confirm_page(token, form, 400)
    try:
        user, next_path = service.consume_link(token)
    except service.LinkProblem as problem:
        return render_template("auth/link_problem.html", problem=str(problem),
                               link_form=LinkRequestForm(prefix="link")), 410
    login_user(user)
    return redirect(_safe_next(next_path) or url_for("main.home"))


@bp.route("/password", methods=["GET", "POST"])
@rerender_on_csrf_error
@login_required
def choose_password():
    """Staff choose (or change) a password; anyone may keep using emailed links instead.
    An invitation lands here once, with `welcome`."""
    if not current_user.is_staff:
        abort(403)
    form = ChoosePasswordForm()
    if form.validate_on_submit():
        current_user.password_hash = hash_password(form.password.data)
        db.session.commit()
        flash("Your password is saved. You can sign in with it, or keep using emailed links.",
              "info")
        return redirect(url_for("main.home"))
    return render_template("auth/password.html", form=form,
                           welcome=request.args.get("welcome") == "1"), \
        400 if form.errors else 200


@bp.post("/signout")
@login_required
def signout():
    current_user.session_version += 1
    db.session.commit()
    logout_user()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.signin"))


def too_many_attempts():
    """Shown in the sign-in page itself, with the address kept."""
    password_form = PasswordSignInForm(formdata=None, email=request.form.get("email"))
    link_form = LinkRequestForm(prefix="link", formdata=None,
                                email=request.form.get("link-email"))
    if request.endpoint == "auth.request_link":
        message = ("Too many sign-in links asked for this address. For your security, "
                   "please wait 15 minutes; the links already sent still work.")
    else:  # someone else's wrong guesses must not lock the owner out: the link still works
        message = ("Too many sign-in attempts. For your security, please wait 15 minutes "
                   "before using the password again, or sign in now with an emailed link "
                   "below.")
    target = link_form if request.endpoint == "auth.request_link" else password_form
    target.email.errors = [message]
    return _render_signin(password_form=password_form, link_form=link_form, status=429)
