"""The site's main navigation, in order: (path, English label). Labels are translated in the catalogs."""

NAV: list[tuple[str, str]] = [
    ("/", "Home"),
    ("/gaps", "Gaps"),
]
