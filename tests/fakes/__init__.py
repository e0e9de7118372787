"""Test doubles shared by every test package (the fake OpenAI-compatible model server)."""
