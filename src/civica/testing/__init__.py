"""Test helpers shared across apps (real servers, not mocks)."""
