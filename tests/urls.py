"""Every URL pattern Django has registered, for the sweeps that must cover them all."""

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name"
    pattern: str  # the pattern text, for messages
    params: frozenset[str]


def all_routes() -> list[Route]:
    routes: list[Route] = []

    def walk(patterns: list, prefix: str, namespace: str | None) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = namespace
                if entry.namespace:
                    inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                walk(entry.url_patterns, prefix + str(entry.pattern), inner)
            elif isinstance(entry, URLPattern):
                name = f"{namespace}:{entry.name}" if namespace else (entry.name or "")
                routes.append(
                    Route(
                        name, prefix + str(entry.pattern), frozenset(entry.pattern.regex.groupindex)
                    )
                )

    walk(get_resolver().url_patterns, "", None)
    return routes
