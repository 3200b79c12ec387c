"""What every part of the portal shares: findings, XML output, the site's facts (no import of any plugin)."""
