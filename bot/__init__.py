"""Slate's Slack surface: Bolt listeners and middleware, the HTTP/Socket Mode runners, the local workspace.

This is the only package that imports ``slack_bolt`` / ``slack_sdk``.
"""
