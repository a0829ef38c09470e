"""Matching: needs to suppliers and seeds to opportunities, across Japanese and English, with reasons."""
