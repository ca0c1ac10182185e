"""Settings: one module, read from the environment (see the configuration table in README.md).

Embedded default (no environment at all, DEBUG on): a SQLite file under var/ and Celery tasks run
in-process. Production: set DATABASE_URL, CELERY_BROKER_URL, SECRET_KEY (or SECRET_KEY_FILE),
ALLOWED_HOSTS and leave DEBUG off; the app refuses to start on the default secret key.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()

DEFAULT_SECRET_KEY = "insecure-default-key-for-the-local-demo-only"


def _secret(name, default=None):
    """A secret from NAME, or from the file named by NAME_FILE (Docker/Kubernetes secrets)."""
    path = env.str(f"{name}_FILE", default="")
    if path:
        return Path(path).read_text().strip()
    return env.str(name, default=default)


DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = _secret("SECRET_KEY", DEFAULT_SECRET_KEY)
if not DEBUG and SECRET_KEY == DEFAULT_SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is the built-in default while DEBUG is off. Set SECRET_KEY (or SECRET_KEY_FILE) "
        "to a long random value, or set DEBUG=true for the local demo."
    )
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# --- The partnership -------------------------------------------------------------------------
PARTNERSHIP_NAME = env.str("PARTNERSHIP_NAME", default="Example County Safeguarding Children Partnership")
PARTNERSHIP_LOCALITIES = env.list("PARTNERSHIP_LOCALITIES", default=["north", "central", "south"])
PARTNERSHIP_UNDER_18_POPULATION = env.int("PARTNERSHIP_UNDER_18_POPULATION", default=150_000)
# A PNG, JPEG or SVG file for the PDF cover until an admin uploads one on the partnership profile page.
PARTNERSHIP_LOGO_FILE = env.str("PARTNERSHIP_LOGO_FILE", default="")
PARTNERSHIP_LOGO_MAX_BYTES = env.int("PARTNERSHIP_LOGO_MAX_BYTES", default=256 * 1024)

# Child protection conferences (working days exclude weekends and England and Wales bank holidays).
CONFERENCE_REPORT_DAYS_INITIAL = env.int("CONFERENCE_REPORT_DAYS_INITIAL", default=3)
CONFERENCE_REPORT_DAYS_REVIEW = env.int("CONFERENCE_REPORT_DAYS_REVIEW", default=5)
CONFERENCE_INITIAL_WITHIN_WORKING_DAYS = env.int("CONFERENCE_INITIAL_WITHIN_WORKING_DAYS", default=15)
CONFERENCE_QUORUM_AGENCIES = env.int("CONFERENCE_QUORUM_AGENCIES", default=3)
CONFERENCE_ABSENCES_IN_A_ROW = env.int("CONFERENCE_ABSENCES_IN_A_ROW", default=2)

# Chronology patterns ("join the dots") and the chronology PDF.
CHRONOLOGY_CUMULATIVE_MIN_ENTRIES = env.int("CHRONOLOGY_CUMULATIVE_MIN_ENTRIES", default=3)
CHRONOLOGY_CUMULATIVE_MIN_AGENCIES = env.int("CHRONOLOGY_CUMULATIVE_MIN_AGENCIES", default=2)
CHRONOLOGY_CUMULATIVE_WINDOW_MONTHS = env.int("CHRONOLOGY_CUMULATIVE_WINDOW_MONTHS", default=6)
CHRONOLOGY_THEME_MIN_AGENCIES = env.int("CHRONOLOGY_THEME_MIN_AGENCIES", default=2)
CHRONOLOGY_THEME_WINDOW_MONTHS = env.int("CHRONOLOGY_THEME_WINDOW_MONTHS", default=12)
CHRONOLOGY_MISSED_APPOINTMENTS_RUN = env.int("CHRONOLOGY_MISSED_APPOINTMENTS_RUN", default=3)
CHRONOLOGY_ATTENDANCE_THRESHOLD_PERCENT = env.int("CHRONOLOGY_ATTENDANCE_THRESHOLD_PERCENT", default=90)
CHRONOLOGY_ATTENDANCE_TERM_MONTHS = env.int("CHRONOLOGY_ATTENDANCE_TERM_MONTHS", default=4)
CHRONOLOGY_PDF_MAX_ENTRIES = env.int("CHRONOLOGY_PDF_MAX_ENTRIES", default=1000)
# CHRONOLOGY_THEME_KEYWORDS (theme -> words) keeps its default in chronologies/patterns.py unless set here.

# Long plans, one threshold per idea, read by drift's flags and the dashboard's measures alike
# (plans/history.py): a child protection plan of this many months or more; a child in need plan over
# this many. The names they had when only drift read them are still honoured.
LONG_CP_PLAN_MONTHS = env.int("LONG_CP_PLAN_MONTHS", default=env.int("DRIFT_CP_PLAN_RED_MONTHS", default=12))
LONG_CIN_PLAN_MONTHS = env.int("LONG_CIN_PLAN_MONTHS", default=env.int("DRIFT_CIN_PLAN_MONTHS", default=6))

# Drift and delay thresholds (drift/rules.py).
DRIFT_CP_PLAN_AMBER_MONTHS = env.int("DRIFT_CP_PLAN_AMBER_MONTHS", default=9)
DRIFT_OVERSIGHT_DAYS = env.int("DRIFT_OVERSIGHT_DAYS", default=28)
DRIFT_REASSESSMENT_MONTHS = env.int("DRIFT_REASSESSMENT_MONTHS", default=3)
DRIFT_CHILD_SEEN_DAYS = env.int("DRIFT_CHILD_SEEN_DAYS", default=42)
DRIFT_ACKNOWLEDGEMENT_MAX_DAYS = env.int("DRIFT_ACKNOWLEDGEMENT_MAX_DAYS", default=90)
# A new plan's grace before "no assessment since the plan started" (working days of England and Wales).
DRIFT_NO_ASSESSMENT_GRACE_WORKING_DAYS = env.int("DRIFT_NO_ASSESSMENT_GRACE_WORKING_DAYS", default=20)
# A step down of the level of need with no early-help lead is flagged after this many working days.
DRIFT_STEP_DOWN_NO_LEAD_WORKING_DAYS = env.int("DRIFT_STEP_DOWN_NO_LEAD_WORKING_DAYS", default=5)

# The partnership's own words for the four levels of need (need/levels.py), as JSON over the
# defaults, e.g. PARTNERSHIP_LEVEL_LABELS='{"targeted_early_help": "Early Help (level 3)"}'.
PARTNERSHIP_LEVEL_LABELS = env.json("PARTNERSHIP_LEVEL_LABELS", default={})

# How long a conference lasts in the invitation's calendar file (conferences/calendar.py).
CONFERENCE_DURATION_MINUTES = env.int("CONFERENCE_DURATION_MINUTES", default=90)

# Tools the partnership expects at a level of need, and by when (tools/requirements.py): a JSON list
# such as [{"tool": "gcp2", "level": "specialist", "within_working_days": 20,
# "after": ["child_in_need", "child_protection"]}]. Drift flags a missing one; the dashboard
# reports the share of cases at each level with it. None by default.
TOOLS_REQUIRED = env.json("TOOLS_REQUIRED", default=[])

# The front door's decision deadlines in working days per kind of item (frontdoor/deadlines.py), as
# JSON over the defaults, e.g. FRONT_DOOR_DEADLINE_WORKING_DAYS='{"red_flag": 2}'.
FRONT_DOOR_DEADLINE_WORKING_DAYS = env.json("FRONT_DOOR_DEADLINE_WORKING_DAYS", default={})

# Over-access alerts to partnership admins (audit/alerts.py).
OVER_ACCESS_CHILDREN_PER_WINDOW = env.int("OVER_ACCESS_CHILDREN_PER_WINDOW", default=40)
OVER_ACCESS_WINDOW_MINUTES = env.int("OVER_ACCESS_WINDOW_MINUTES", default=60)
OVER_ACCESS_DENIALS_PER_WINDOW = env.int("OVER_ACCESS_DENIALS_PER_WINDOW", default=10)
OVER_ACCESS_DENIALS_WINDOW_MINUTES = env.int("OVER_ACCESS_DENIALS_WINDOW_MINUTES", default=10)

# Retention (retention/rules.py): per record type, how many years after which basis a child's record
# may be deleted, once a partnership admin approves. Bases: "case_closed" (the case's closure date) or
# "child_25th_birthday". RETENTION_RULES (JSON) overrides any of the defaults, e.g.
# RETENTION_RULES='{"early_help": {"years": 7, "basis": "case_closed"}}'.
RETENTION_RULES = {
    "early_help": {"years": 6, "basis": "case_closed"},
    "statutory": {"years": 0, "basis": "child_25th_birthday"},
    "looked_after": {"years": 50, "basis": "child_25th_birthday"},
    **env.json("RETENTION_RULES", default={}),
}
# A child held back from deletion (legal hold, ongoing investigation) is not listed again for this long.
RETENTION_HOLD_DAYS = env.int("RETENTION_HOLD_DAYS", default=365)

# A census return uploaded for import but never confirmed is deleted this many hours after upload
# (census.tasks.census_upload_discard_unconfirmed, hourly): it holds every child in need's details.
CENSUS_UPLOAD_KEEP_HOURS = env.int("CENSUS_UPLOAD_KEEP_HOURS", default=24)

# Family feedback links (quality/): a link works this many days after it is sent, and once; one IP
# address may try this many links that do not work (used, expired, guessed) an hour before it is
# refused for the rest of the hour. Text messages go through QUALITY_TEXT_BACKEND
# (quality/texting.py: "console" writes them to the log; a GOV.UK Notify backend is not built yet).
FAMILY_FEEDBACK_LINK_DAYS = env.int("FAMILY_FEEDBACK_LINK_DAYS", default=14)
FAMILY_FEEDBACK_FAILURES_PER_HOUR = env.int("FAMILY_FEEDBACK_FAILURES_PER_HOUR", default=10)
QUALITY_TEXT_BACKEND = env.str("QUALITY_TEXT_BACKEND", default="quality.texting.ConsoleTextBackend")

# --- Applications ----------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_celery_beat",
    "agencies",
    "audit",
    "notifications",
    "sharing",
    "cases",
    "households",
    "plans",
    "concerns",
    "referrals",
    "oversight",
    "voice",
    "conferences",
    "drift",
    "chronologies",
    "need",
    "tools",
    "dashboard",
    "census",
    "partnership",
    "subject_access",
    "retention",
    "auditor",
    "quality",
    "frontdoor",
    "demo",
    "sso",
]

MIDDLEWARE = [
    "neglect_portal.errors.DebugErrorPagesMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "agencies.two_factor.AbsoluteSessionTimeoutMiddleware",
    "agencies.two_factor.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "neglect_portal.middleware.SecurityHeadersMiddleware",
]

# With DEBUG on, Django's debug pages for errors (tracebacks, every URL) only when this is on too;
# otherwise the portal's own 404 and 500 pages, as in production (neglect_portal/errors.py).
DEBUG_ERROR_PAGES = env.bool("DEBUG_ERROR_PAGES", default=False)

ROOT_URLCONF = "neglect_portal.urls"
WSGI_APPLICATION = "neglect_portal.wsgi.application"

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
                "neglect_portal.context_processors.partnership",
            ],
            "libraries": {"govuk": "neglect_portal.template_library"},
        },
    },
]

# --- Data ------------------------------------------------------------------------------------
if "DATABASE_URL" not in env:
    (BASE_DIR / "var").mkdir(exist_ok=True)
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'demo.sqlite3'}"),
}
# The password may come apart from the URL, from a file (DATABASE_PASSWORD_FILE: Docker secrets).
if _secret("DATABASE_PASSWORD"):
    DATABASES["default"]["PASSWORD"] = _secret("DATABASE_PASSWORD")
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
# PostgreSQL's JIT compiler starts when a plan's estimated cost passes jit_above_cost; the access layer's
# correlated conditions inflate estimates, so short queries paid 0.3-0.6 s of compiling each (EXPLAIN
# at county scale, issue 18). Pages run many small queries, never the long analytical ones JIT is for.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env.bool("DATABASE_JIT_OFF", default=True):
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# PostgreSQL roles in production: the owner runs migrations; the app role (what DATABASE_URL names)
# may only INSERT and SELECT on the access log. `manage.py print_db_grants` prints the grants.
DB_OWNER_ROLE = env.str("DB_OWNER_ROLE", default="neglect_owner")
DB_APP_ROLE = env.str("DB_APP_ROLE", default="neglect_app")
# A shared cache (Redis in production) keeps API throttles consistent across web processes.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}

# --- Authentication --------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
    # Single sign-on through an agency's own OpenID Connect provider (sso/, docs/security.md).
    "sso.backends.AgencyOidcBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# The address people reach the portal at: links in emails are absolute, built from it.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# Accounts (docs/security.md, "Finding 6"): nobody chooses another person's password. Invitations,
# second-factor resets and "forgot your password" email a one-time "set your password" link that
# works this many hours (Django's PASSWORD_RESET_TIMEOUT) and stops working once used.
PASSWORD_LINK_HOURS = env.int("PASSWORD_LINK_HOURS", default=72)
PASSWORD_RESET_TIMEOUT = PASSWORD_LINK_HOURS * 3600
# "Forgot your password": at most this many requests an hour from one IP address, and this many
# emails an hour to one address (beyond that the page answers the same and sends nothing).
PASSWORD_RESET_PER_HOUR = env.int("PASSWORD_RESET_PER_HOUR", default=5)
# API tokens (agencies/tokens.py) expire this many hours after they are issued.
API_TOKEN_TTL_HOURS = env.int("API_TOKEN_TTL_HOURS", default=24)

# Two-factor authentication (TOTP + recovery codes) before any child's data is reachable.
TWO_FACTOR_REQUIRED = env.bool("TWO_FACTOR_REQUIRED", default=True)
OTP_TOTP_ISSUER = PARTNERSHIP_NAME

# Single sign-on (OpenID Connect, mozilla-django-oidc; providers per agency in sso.OidcProvider).
# The portal's second factor is skipped only when the provider's ID token asserts multi-factor
# authentication: an `amr` value in OIDC_MFA_AMR_VALUES or an `acr` in OIDC_MFA_ACR_VALUES.
# An empty OIDC_MFA_AMR_VALUES and OIDC_MFA_ACR_VALUES means everyone still does the portal's second factor.
OIDC_MFA_AMR_VALUES = env.list("OIDC_MFA_AMR_VALUES", default=["mfa", "otp", "hwk"])
OIDC_MFA_ACR_VALUES = env.list("OIDC_MFA_ACR_VALUES", default=[])
OIDC_AUTHENTICATION_CALLBACK_URL = "sso_callback"
OIDC_RP_SCOPES = "openid email"
OIDC_USE_PKCE = True
OIDC_CREATE_USER = False
OIDC_TIMEOUT = env.int("OIDC_TIMEOUT_SECONDS", default=10)

# Idle timeout: the session cookie lives SESSION_IDLE_MINUTES and is renewed on every request.
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=30)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
# Absolute timeout: signed out this long after signing in, however active.
SESSION_ABSOLUTE_HOURS = env.int("SESSION_ABSOLUTE_HOURS", default=10)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Lockout (django-axes, agencies/two_factor_lockout.py), each within AXES_COOLOFF_MINUTES:
# AXES_FAILURE_LIMIT failures for one username from one IP; AXES_IP_FAILURE_LIMIT failures from one
# IP whatever the usernames (guessing across accounts); AXES_ACCOUNT_FAILURE_LIMIT failures for one
# username from any IPs (password spraying from many addresses). A clear message says which.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_IP_FAILURE_LIMIT = env.int("AXES_IP_FAILURE_LIMIT", default=30)
AXES_ACCOUNT_FAILURE_LIMIT = env.int("AXES_ACCOUNT_FAILURE_LIMIT", default=50)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "agencies.two_factor_lockout.SignInLockoutHandler"
AXES_LOCKOUT_CALLABLE = "agencies.two_factor_lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

# --- django-guardian: object grants only; no anonymous user, no global-permission shortcuts ---
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False
GUARDIAN_MONKEY_PATCH_USER = False

# --- REST API --------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first so that an anonymous API call answers 401 with WWW-Authenticate.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "agencies.tokens.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Services' ValidationError -> 400 by field ("non_field_errors" for the rest); EditConflict -> 409.
    "EXCEPTION_HANDLER": "neglect_portal.api.exception_handler",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    # Per IP for anonymous calls, per user for signed-in calls, and the token endpoint's own scope.
    # Behind proxies set API_NUM_PROXIES so the client's address, not the proxy's, is counted.
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
        "rest_framework.throttling.ScopedRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_ANON_THROTTLE_RATE", default="60/minute"),
        "user": env.str("API_USER_THROTTLE_RATE", default="600/minute"),
        "token": env.str("TOKEN_THROTTLE_RATE", default="20/minute"),
    },
    "NUM_PROXIES": env.int("API_NUM_PROXIES", default=None),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Neglect Portal API",
    "DESCRIPTION": "Case work for the safeguarding children partnership. Every endpoint goes through the access layer: a record you may not see answers 404.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Request bodies get their own components: read-only fields left out, non-blank strings minLength 1.
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "agencies.api.add_error_responses",
        "agencies.api.time_without_offset",
    ],
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Swagger UI served from the installed sidecar package: no CDN (the machine may be offline).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several models have a `status` field with different choices: name each enum.
    "ENUM_NAME_OVERRIDES": {
        "CaseStatusEnum": "cases.models.CaseStatus",
        "ActionStatusEnum": "plans.models.ActionStatus",
        "ConferenceKindEnum": "conferences.models.ConferenceKind",
        "SharingConditionEnum": "sharing.models.SharingCondition",
        "AuditRoundStatusEnum": "quality.models.RoundStatus",
    },
}

# --- Celery ----------------------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="") or None
# No broker configured (the embedded demo): tasks run in-process, still after the transaction commits.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=300)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=360)
# The visibility timeout must exceed the longest job, or Redis redelivers a job still running.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)}
# A dashboard snapshot claimed longer ago than this belongs to a worker that died, and the redelivered
# job may take it over. Above the job's hard time limit, below the visibility timeout (dashboard/checks.py).
DASHBOARD_CLAIM_EXPIRY_SECONDS = env.int("DASHBOARD_CLAIM_EXPIRY_SECONDS", default=900)
# Counts of children from 1 to this are suppressed in the dashboard's publications (docs/dashboard.md, "Disclosure control").
DASHBOARD_SUPPRESS_UP_TO = env.int("DASHBOARD_SUPPRESS_UP_TO", default=4)
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = "Europe/London"

# --- Email -----------------------------------------------------------------------------------
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="neglect-portal@localhost")
# GOV.UK Notify, when EMAIL_BACKEND is "neglect_portal.notify_email.NotifyEmailBackend" (SMTP otherwise):
# the API key, and the id of a Notify email template whose subject and body are ((subject)) and ((body)).
NOTIFY_API_KEY = _secret("NOTIFY_API_KEY", default="")
NOTIFY_EMAIL_TEMPLATE_ID = env.str("NOTIFY_EMAIL_TEMPLATE_ID", default="")
NOTIFY_BASE_URL = env.str("NOTIFY_BASE_URL", default="https://api.notifications.service.gov.uk")
NOTIFY_TIMEOUT_SECONDS = env.int("NOTIFY_TIMEOUT_SECONDS", default=30)
# Where the accessibility statement tells people to report a problem or ask for another format.
ACCESSIBILITY_CONTACT_EMAIL = env.str("ACCESSIBILITY_CONTACT_EMAIL", default="accessibility@example.org")

# --- Internationalisation ----------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Uploads ---------------------------------------------------------------------------------
# A request body without files (form fields, JSON) is refused above this size; the chronology
# import's confirm step carries a checked 2 MB file as form text, which URL-encoding can triple.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=7 * 1024 * 1024)
# An uploaded file larger than this goes to a temporary file on disk, not the web process's memory;
# each form then reads it through neglect_portal/uploads.py, which checks its size before reading.
FILE_UPLOAD_MAX_MEMORY_SIZE = env.int("FILE_UPLOAD_MAX_MEMORY_SIZE", default=512 * 1024)

# --- Static files ----------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage" if DEBUG else "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")

# --- Security headers (production defaults; DEBUG relaxes only what local HTTP needs) ---------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_TLS_PROXY", default=True) else None
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_COOKIES = env.bool("SECURE_COOKIES", default=not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # WeasyPrint and fontTools log every layout step at INFO: they would flood the worker logs.
    "loggers": {"axes": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}
