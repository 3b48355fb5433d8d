"""The live in-class quiz on the web: the teacher's projector and control pages,
the students' join and play pages, and the small JSON API the pages poll.

Views stay thin: they read the request, check who is asking (teacher secret or
student token, both in cookies scoped to /live/), call the domain
(`domain`), render.

Who may do what:

- the teacher: whoever holds the session's secret, in the cookie set when the
  session started or through the teacher link (another device);
- a student: whoever holds a participant token for this session, in the
  cookie set when they joined; it brings back the same participant after a
  reload, a lost connection or a switch of apps.

Students learn about changes by polling `GET /live/api/<sid>/version` (a tiny
answer, 204 when nothing changed, cached per process for LIVE_VERSION_CACHE_S)
and then fetching their panel, which is rendered from the explicit public view
of the question until it is revealed.

The package, by concept:

- `pages` (the blueprint, its settings, cookies, who is asking, error pages),
  `teacher` (start, projector, control page, actions, results) and `students`
  (join, play, answer, the version they poll), with `addresses` (the join URL
  and its QR code) and `limits` (join limits per client address);
- `domain`, the live quiz without Flask: `model` (plain data), `sessions`,
  `participants`, `answers`, `views` (what each side may see), `scores`,
  `results` (CSV), `clock`, `deadlines` (a homework's deadline across time
  zones), with `deadline_views` (how pages show it);
- `tables` (its tables in the store) and `texts` (its Chinese texts).
"""

from __future__ import annotations

from typing import Any

from quizgen.web.live import students, teacher
from quizgen.web.live.addresses import join_url, reach_problem
from quizgen.web.live.deadline_views import start_deadline, start_zone
from quizgen.web.live.pages import LIVE_DEFAULTS, _limit_size, bp
from quizgen.web.live.panels import shared_part
from quizgen.web.live.polls import VersionPolls
from quizgen.web.live.students import student_view
from quizgen.web.live.teacher import host_view
from quizgen.web.live.texts import gettext as _

__all__ = ["LIVE_DEFAULTS", "bp", "host_view", "init_app", "join_url", "student_view"]

assert students.bp is teacher.bp is bp  # both modules add their routes to it


def init_app(app: Any) -> None:
    """Register the blueprint and its configuration defaults on `app`."""
    for key, value in LIVE_DEFAULTS.items():
        app.config.setdefault(key, value)
    app.jinja_env.globals["live_gettext"] = _
    app.jinja_env.globals["live_reach_problem"] = reach_problem
    app.jinja_env.globals["live_join_url"] = join_url
    app.jinja_env.globals["live_part"] = shared_part
    app.jinja_env.globals["live_zone"] = start_zone
    app.jinja_env.globals["live_deadline_default"] = start_deadline
    app.register_blueprint(bp)
    app.wsgi_app = VersionPolls(app, app.wsgi_app)
    app.before_request_funcs.setdefault(None, []).insert(0, _limit_size)
