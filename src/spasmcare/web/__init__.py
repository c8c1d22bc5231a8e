"""Server-rendered web pages (Jinja2 templates, vendored htmx, spasmcare's own CSS and JavaScript).

Every page works without JavaScript; scripts only add timers and smoother updates. No page loads
anything from another origin.
"""

from spasmcare.web.site import install_web, web_router

__all__ = ["install_web", "web_router"]
