"""One router per capability; each route translates the request, calls a use case, answers."""
