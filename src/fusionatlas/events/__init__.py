"""Matchmaking events: registrations, suggested meetings, requests, the optimal scheduler, agendas, outcomes."""
