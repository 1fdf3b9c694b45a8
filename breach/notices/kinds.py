"""The notice kinds and formats, written once (the CLI's choices come from here)."""

#: The notice kinds, and which duties each serves (a notice is drafted for one of them).
KIND_DUTIES: dict[str, tuple[str, ...]] = {
    "authority": (
        "notify_authority",
        "follow_up",
        "early_warning",
        "incident_notification",
        "final_report",
    ),
    "data_subjects": ("notify_data_subjects",),
    "controller": ("notify_controller",),
    "public": ("public_communication",),
    "register": ("document",),
}
KINDS = tuple(KIND_DUTIES)

#: The formats a notice is rendered in (plain text and HTML derive from the Markdown).
FORMATS = ("text", "md", "html")
#: What ``breach notice --format`` writes: the rendered formats, and the EDPB form's data.
NOTICE_FORMATS = (*FORMATS, "edpb-json")
