"""The served app: ``scorecard serve``'s web server, which proves who each visitor is before
it starts an app for them (README, "Security model")."""
