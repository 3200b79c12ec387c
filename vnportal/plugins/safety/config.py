"""Options of ``vnportal/safety`` in mkdocs.yml."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class VideoConfig(Config):
    name = c.Type(str)
    match = c.Type(str)  # regular expression on the pasted <iframe src>, with a named group (?P<id>...)
    embed = c.Type(str)  # the player's address, with {id}
    link = c.Type(str)  # the video's page on the service, with {id} (the link without JavaScript)


class SafetyConfig(Config):
    video_embeds = c.ListOfItems(c.SubConfig(VideoConfig), default=[])
