"""Settings for the London Apprenticeships Portal.

One module, driven by the environment (django-environ). Production differs from development only by
environment variables; every variable is listed with its meaning in `.env.example`.
"""

import sys
from datetime import timedelta
from pathlib import Path

import environ

from loti_portal.client_ip import parse_networks

BASE_DIR = Path(__file__).resolve().parent.parent


class _Env(environ.Env):
    """django-environ, except that a variable set but empty means its default.

    `.env.example` (which the README says to copy to `.env`) leaves many variables empty to mean
    "the default"; django-environ would read `DJANGO_SECURE_COOKIES=` as false and
    `DATABASE_URL=` as no database at all, so a copied file quietly weakened production.
    """

    def get_value(self, var, cast=None, default=environ.Env.NOTSET, parse_default=False):
        if default is not self.NOTSET and self.ENVIRON.get(f"{self.prefix}{var}") == "":
            return self.parse_value(default, cast) if parse_default else default
        return super().get_value(var, cast=cast, default=default, parse_default=parse_default)


env = _Env()
# Real environment variables win over a local .env file (read_env never overwrites them).
# DJANGO_ENV_FILE, set in the real environment, names another file instead, or none when empty
# (the tests read none: settings_test.py); read as is, since here empty does not mean default.
_env_file = env.ENVIRON.get("DJANGO_ENV_FILE", str(BASE_DIR / ".env"))
if _env_file:
    environ.Env.read_env(_env_file, overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        sys.exit(
            "DJANGO_SECRET_KEY is not set: set it (or DJANGO_DEBUG=1 for local development only)."
        )
    SECRET_KEY = "insecure-development-key-only-used-when-DJANGO_DEBUG-is-on"  # noqa: S105

ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1"] if DEBUG else []
)

INSTALLED_APPS = [
    # The admin's default site is the OTP-protected one (admin_site.py), so every app's
    # `admin.site.register` lands behind the second factor.
    "loti_portal.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "simple_history",
    # django-axes and django-otp's TOTP under plain-English names in the admin (apps.py).
    "loti_portal.apps.SignInLockoutsConfig",
    "csp",
    "django_otp",
    "loti_portal.apps.AuthenticatorAppsConfig",
    # Site-wide pieces: sign-in event logging, error pages, OTP helpers.
    "loti_portal.apps.PortalConfig",
    "loti_portal.accounts",
    "boroughs",
    "apprenticeships",
    "apprenticeships.imports",
]

MIDDLEWARE = [
    # Outermost, so that its one line per request covers every other middleware's answer too.
    "loti_portal.middleware.RequestLogMiddleware",
    # The browser-side protections, outside everything that can answer by itself (the HTTPS
    # redirect, whitenoise's static files, CommonMiddleware's redirects, error pages), so that
    # every response carries them. SecurityMiddleware adds nosniff and the referrer policy to
    # whatever passes through it, its own redirect included.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "loti_portal.middleware.PermissionsPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Inside whitenoise: every response except a static file is kept out of browser and proxy
    # caches (pages, lists, CSVs, the JSON feed, imports and the admin carry personal data).
    "loti_portal.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session passed a one-time code (django-otp's
    # middleware, without its query per request: middleware.py).
    "loti_portal.middleware.OTPMiddleware",
    # Sessions end SESSION_ABSOLUTE_HOURS after sign-in, however active.
    "loti_portal.middleware.SessionLifetimeMiddleware",
    # No page with personal data before the one-time code (SECOND_FACTOR_REQUIRED).
    "loti_portal.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Records who made each change in the history tables.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: it turns a locked-out sign-in into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "loti_portal.urls"
WSGI_APPLICATION = "loti_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "loti_portal.context_processors.navigation",
                "loti_portal.context_processors.feedback",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
# A reused connection is checked before each request, so the portal recovers by itself after the
# database restarts instead of failing on a dead connection until CONN_MAX_AGE runs out.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A database that stops answering must not hang the portal (docs/security.md). libpq's options:
# - connect_timeout: seconds to give a new connection, authentication included (libpq's least is
#   2). /healthz also waits no longer than this for an answer on an open connection (db_deadline).
# - statement_timeout: the server cancels a statement running longer (a lock wait, a runaway
#   query), below gunicorn's 30-second worker timeout so the page fails cleanly instead.
# - TCP keepalives and tcp_user_timeout: a server host gone (powered off, network cut) ends an
#   idle connection within 30 + 3 x 10 seconds, and a busy one within 30 seconds, instead of
#   after the kernel's ~15 minutes. (A frozen server *process* still has a kernel answering for
#   it: only a client-side deadline sees that, as /healthz has.)
DATABASE_CONNECT_TIMEOUT = max(2, env.int("DATABASE_CONNECT_TIMEOUT", default=2))
_statement_timeout_ms = env.int("DATABASE_STATEMENT_TIMEOUT", default=20) * 1000
POSTGRESQL_OPTIONS = {
    "connect_timeout": DATABASE_CONNECT_TIMEOUT,
    "options": f"-c statement_timeout={_statement_timeout_ms}",
    "keepalives": 1,
    "keepalives_idle": env.int("DATABASE_KEEPALIVES_IDLE", default=30),
    "keepalives_interval": 10,
    "keepalives_count": 3,
    "tcp_user_timeout": 30_000,
}
if DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql"):
    DATABASES["default"].setdefault("OPTIONS", {}).update(POSTGRESQL_OPTIONS)
    # Django's backend, with its check of a reused connection bounded by DATABASE_CONNECT_TIMEOUT
    # (a frozen server would hold every request there, even for a page needing no database).
    DATABASES["default"]["ENGINE"] = "loti_portal.postgresql"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a sign-in while the account is locked out (django-axes).
    "loti_portal.auth_backends.LockoutBackend",
    # Django's ModelBackend, loading the signed-in user with their authenticator device's id.
    # Also rejects deactivated users on every request (get_user checks is_active), which is what
    # ends a deactivated user's session on their next request.
    "loti_portal.auth_backends.PortalModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions end after this many minutes without a request (the expiry slides on every request)...
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_TIMEOUT_MINUTES", default=30) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# ...and this long after signing in however busy, so a session taken over (or a browser left
# open and in use) does not last for ever (middleware.SessionLifetimeMiddleware).
SESSION_ABSOLUTE_LIFETIME = timedelta(hours=env.int("SESSION_ABSOLUTE_HOURS", default=12))

# Everyone who may see personal data (borough HR and admins) passes a one-time code from an
# authenticator app after the password, before any page but sign-in, sign-out and setting one up
# (middleware.SecondFactorMiddleware); LOTI analysts see aggregates only and need not. Off only
# for local development by default: the admin site asks for its code whatever this says.
SECOND_FACTOR_REQUIRED = env.bool("SECOND_FACTOR_REQUIRED", default=not DEBUG)

# Password-reset emails hold a link that sets a new password: printed to the console (Django's
# default) they land in gunicorn's output, beside staff emails. So the console is the default only
# under DEBUG; otherwise EMAIL_URL is required, and the console or a file only when named there
# (check --deploy then warns: checks.py).
_email_url = env.str("EMAIL_URL", default="")
if not _email_url:
    if not DEBUG:
        sys.exit(
            "EMAIL_URL is not set: set the mail server, e.g. smtp+tls://user:password@host:587 "
            "(consolemail:// would print every email, reset links included, to the output)."
        )
    _email_url = "consolemail://"
vars().update(environ.Env.email_url_config(_email_url))
# Seconds before giving up on the mail server, so one that stops answering cannot hold a worker.
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="portal@loti.example")
# Where the phase banner's feedback link and the accessibility statement send people: a mailbox
# the LOTI programme team reads.
FEEDBACK_EMAIL = env.str("FEEDBACK_EMAIL", default="apprenticeships@loti.example")
# Password-reset requests per email typed and per client address, in any PASSWORD_RESET_WINDOW
# (accounts/reset_limits.py): enough for a mistyped address, not for flooding an inbox.
PASSWORD_RESET_LIMIT_PER_ACCOUNT = env.int("PASSWORD_RESET_LIMIT_PER_ACCOUNT", default=3)
PASSWORD_RESET_LIMIT_PER_ADDRESS = env.int("PASSWORD_RESET_LIMIT_PER_ADDRESS", default=10)
PASSWORD_RESET_WINDOW = timedelta(minutes=env.int("PASSWORD_RESET_WINDOW_MINUTES", default=60))

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
# Localisation is always on in Django 5, so the DATE_FORMAT-style settings are ignored in favour
# of the locale's own formats, which for en-gb print "6:59 p.m.". The portal's formats for
# en-gb (formats/en_GB/formats.py) take their place: "3 March 2026", "3 March 2026, 18:58".
# Pages use the govuk_date and govuk_datetime filters (apprenticeships/templatetags).
FORMAT_MODULE_PATH = ["loti_portal.formats"]

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
# Static files are public and the same for everyone; nothing on another site needs to read them.
WHITENOISE_ALLOW_ALL_ORIGINS = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, compressed files served by whitenoise; needs `collectstatic` when DEBUG is off.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Large enough for the bulk-import forms; files themselves are limited by the import engine.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000


# --- Security (check --deploy must pass with DEBUG off; see tests/test_deploy_check.py) ---------
# Behind exactly one reverse proxy (the load balancer), which terminates TLS and sets this header,
# e.g. DJANGO_SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO,https. Empty: no proxy.
_proxy_ssl_header = env.list("DJANGO_SECURE_PROXY_SSL_HEADER", default=[])
SECURE_PROXY_SSL_HEADER = tuple(_proxy_ssl_header) if _proxy_ssl_header else None
if SECURE_PROXY_SSL_HEADER and len(SECURE_PROXY_SSL_HEADER) != 2:
    sys.exit(
        "DJANGO_SECURE_PROXY_SSL_HEADER must be HEADER,value, e.g. HTTP_X_FORWARDED_PROTO,https"
    )
# The reverse proxies in front of the portal, as addresses or networks. X-Forwarded-For is read only
# from a request sent by one of them (client_ip.py); empty: the peer's address is the client's.
try:
    TRUSTED_PROXIES = [
        str(network) for network in parse_networks(env.list("DJANGO_TRUSTED_PROXIES", default=[]))
    ]
except ValueError as error:
    sys.exit(f"DJANGO_TRUSTED_PROXIES: {error}; list addresses or networks, e.g. 10.0.0.0/24.")
# Counting proxies let a request sent straight to the app server pick its own address; a
# deployment still setting the old variable would silently run without a trusted proxy.
if "DJANGO_TRUSTED_PROXY_COUNT" in env.ENVIRON:
    sys.exit(
        "DJANGO_TRUSTED_PROXY_COUNT is no longer read: list the proxies' addresses in "
        "DJANGO_TRUSTED_PROXIES instead (and remove DJANGO_TRUSTED_PROXY_COUNT)."
    )
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
# The load balancer probes /healthz over plain HTTP on the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Both cookies are this host's alone, for every path: a page on another subdomain can neither
# read nor plant them (no Domain), whatever the parent domain's other sites do.
SESSION_COOKIE_DOMAIN = CSRF_COOKIE_DOMAIN = None
SESSION_COOKIE_PATH = CSRF_COOKIE_PATH = "/"
if SESSION_COOKIE_SECURE:
    # The __Host- prefix makes the browser itself enforce that: it refuses such a cookie unless it
    # is Secure, has Path=/ and no Domain. Browsers refuse Secure cookies over plain HTTP, so the
    # names change only with secure cookies on (production; DJANGO_SECURE_COOKIES).
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
CSRF_FAILURE_VIEW = "loti_portal.views.csrf_failure"
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SILENCED_SYSTEM_CHECKS = [
    # SQLite has no covering indexes: there an index's INCLUDE columns are left out, which only
    # makes the one query they serve read the table (models.Placement's placement_borough_start).
    "models.W040",
]
if not SECURE_HSTS_PRELOAD:
    # Preloading is a one-way commitment of the whole domain that its owner (the council or LOTI)
    # makes at hstspreload.org; the portal must not make it for them, so the warning is silenced
    # only while preload is deliberately off.
    SILENCED_SYSTEM_CHECKS.append("security.W021")

# Browser features the portal never uses are switched off (middleware.PermissionsPolicyMiddleware).
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), midi=(), payment=(), usb=()"
)

# django-csp 4: a strict policy. No inline script or style anywhere (templates use static files).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# --- Sign-in protection (django-axes) ---------------------------------------------------------
# Two lock-outs (lockout.py): an account after LOGIN_FAILURE_LIMIT failures from any addresses, so
# rotating addresses buys nothing; an address after LOGIN_FAILURE_LIMIT_PER_ADDRESS failures
# against any accounts, so spraying one password at many emails stops too. The price: anyone can
# pause a colleague's sign-in for LOGIN_LOCKOUT_MINUTES (an admin can clear it sooner).
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
LOGIN_FAILURE_LIMIT_PER_ADDRESS = env.int("LOGIN_FAILURE_LIMIT_PER_ADDRESS", default=20)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_HANDLER = "loti_portal.lockout.AccountAndAddressLockoutHandler"
# Django's sign-in form posts the email as `username` (not the user model's `email` field name).
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "loti_portal.client_ip.sign_in_name"
AXES_CLIENT_IP_CALLABLE = "loti_portal.client_ip.client_ip"
AXES_RESET_ON_SUCCESS = True
# One row per failed attempt (with its UTC time) as well as per success, for the admin to review.
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# axes' own log lines carry the email address; our log lines do not (logging.py).
AXES_VERBOSE = False
AXES_LOCKOUT_CALLABLE = "loti_portal.views.locked_out"
AXES_SENSITIVE_PARAMETERS = ["username", "password", "otp_token"]

# --- Logging: one line per request on stdout, UTC, no personal data (logging.py) ---------------
LOG_LEVEL = env.str("DJANGO_LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"utc": {"()": "loti_portal.logging.UTCFormatter"}},
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "utc",
        },
    },
    "root": {"handlers": ["stdout"], "level": "WARNING"},
    "loggers": {
        "loti_portal": {"handlers": ["stdout"], "level": LOG_LEVEL, "propagate": False},
        # axes logs sign-in names; only its errors are kept.
        "axes": {"handlers": ["stdout"], "level": "ERROR", "propagate": False},
    },
}

# --- Caching ------------------------------------------------------------------------------------
# One cache shared by every process: a dashboard page one gunicorn worker computed is served by
# all the others, and the figures' version (dashboard/freshness.py) retires it in all of them at
# once. Redis when REDIS_URL is set; otherwise a table in the database, which every `migrate`
# creates (dashboard/cache.py), so the app servers stay stateless either way. The dashboard keeps
# each rendered page for DASHBOARD_CACHE_SECONDS (0 turns it off); see dashboard/views.py.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "loti-portal",  # a Redis shared with other services never mixes keys
            # A Redis that stops answering fails the request within two seconds, rather than
            # holding the worker until gunicorn's timeout.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "portal_cache",
            # Each page of every filter combination is an entry; past this, a third are culled.
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    }
DASHBOARD_CACHE_SECONDS = env.int("DASHBOARD_CACHE_SECONDS", default=60)
# How often one user may look people up in an hour (loti_portal/ratelimit.py): the details
# page of the add-a-recruit journey, and an import's check.
RATE_LIMITS_PER_HOUR = {
    "recruit_lookup": env.int("RECRUIT_LOOKUPS_PER_HOUR", default=120),
    "import_check": env.int("IMPORT_CHECKS_PER_HOUR", default=30),
}

# --- Spreadsheet imports: how much of a file is read (apprenticeships/imports/limits.py) --------
# Counted while the file is read, so a hostile file is refused before anything large is built.
# The template has 23 columns; an officer's own extra columns fit, and a value beyond this
# column refuses the file. Blank cells count towards the two limits after it.
IMPORT_MAX_COLUMNS = 60
# A row with more cells than this, blank ones included, is not a placements row.
IMPORT_MAX_CELLS_PER_ROW = 1_000
# A full file (a heading and 20,000 rows of 60 columns is 1,200,060 cells) with room to spare.
IMPORT_MAX_CELLS = 1_250_000
