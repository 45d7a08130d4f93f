"""Patients' historical records: storage, import (JSONL, Synthea CSV), per-patient search, and the
MedRecord-augmented generation (MAG) provider the orchestrator asks for a patient's context."""
