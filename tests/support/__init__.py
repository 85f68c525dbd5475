"""Helpers shared by test modules (no tests here): import them, never a test module."""
