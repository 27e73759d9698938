"""What every area's views share about pages: the plain-language error page, and the
marker for forms that are shown again (with what was typed) when their CSRF token fails."""
from flask import render_template

ERROR_TEXT = {
    400: ("Something in that request was not right",
          "Please go back, check what you entered and try again."),
    401: ("Please sign in", "You need to sign in to see this page."),
    403: ("This page is not available to you",
          "Your role does not include this page. If you think it should, ask your org admin."),
    404: ("Page not found", "There is nothing here, or you do not have access to it."),
    405: ("That action is not available here", "Please go back and use the page's buttons."),
    410: ("This link no longer works", "Ask for a new one."),
    413: ("That upload is too large",
          "Files and forms can be at most a few megabytes. Please send something smaller."),
    429: ("Too many attempts", "Please wait a few minutes before trying again."),
    503: ("Wellbeing is back in a moment",
          "It cannot reach its database just now, often for a minute during maintenance. "
          "Nothing already confirmed to you has been lost. If you were sending a form, go "
          "back and send it again in a minute."),
    500: ("Something went wrong on our side",
          "Nothing you entered has been lost that we already confirmed. Please try again "
          "in a moment; if it keeps happening, tell your IT team."),
}



def rerender_on_csrf_error(view):
    """Mark a view whose forms validate their own CSRF token: on a bad or missing token
    the view runs again, its form fails validation, and the page shows the message with
    what the user typed still in the fields."""
    view.rerender_on_csrf_error = True
    return view


def error_page(code: int, message: str | None = None):
    title, text = ERROR_TEXT.get(code, ERROR_TEXT[500 if code >= 500 else 400])
    return render_template("errors/error.html", code=code, title=title,
                           text=message or text), code
