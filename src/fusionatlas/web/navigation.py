"""The site's main navigation, in order: (path, English label). Labels are translated in the catalogs."""

NAV: list[tuple[str, str]] = [
    ("/", "Home"),
    ("/technologies", "Technology map"),
    ("/landscape", "Landscape"),
    ("/gaps", "Gaps"),
    ("/scenarios", "Scenarios"),
]


def _insert_after_technology_map(entries: list[tuple[str, str]]) -> None:
    """The industry map and matching sit next to the technology map (after Home when there is none)."""
    labels = [label for _path, label in NAV]
    anchor = labels.index("Technology map") if "Technology map" in labels else labels.index("Home")
    NAV[anchor + 1 : anchor + 1] = [entry for entry in entries if entry not in NAV]


_insert_after_technology_map([("/organizations", "Industry map"), ("/match", "Match")])
# Needs next to matching: each need's page proposes its suppliers.
NAV.insert([path for path, _label in NAV].index("/match") + 1, ("/needs", "Needs"))

# People: skills in demand and where they are taught, after the gaps they feed.
NAV.insert([path for path, _label in NAV].index("/gaps") + 1, ("/skills", "Skills"))
# The roadmap follows the landscape (its milestones are the landscape's timeline as a dependency graph).
NAV.insert([path for path, _label in NAV].index("/landscape") + 1, ("/roadmap", "Roadmap"))

# The public explainer, for every visitor, before the signed-in user's entries.
NAV.append(("/learn", "Fusion explained"))

# Watches: a signed-in user's inbox (anonymous visitors are sent to log in first).
NAV.append(("/watch", "Watches"))

# Matchmaking events: public event pages; participants and organizers act there once logged in.
# Labelled as the page is headed (商談会), so the menu and the page name the same thing.
NAV.insert([path for path, _label in NAV].index("/watch"), ("/events", "Matchmaking events"))

# Accounts: always the last entry (base.html shows the user and a logout button instead when logged in).
NAV.append(("/login", "Log in"))
