"""Benchmark datasets: consultation items (MedicineQA-style) and MMXU questions."""
