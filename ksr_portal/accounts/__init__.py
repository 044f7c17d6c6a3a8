"""People coming in and looking after themselves: invitations down the tiers, profile, the
calendar feed. A composition package: it may import every app."""
