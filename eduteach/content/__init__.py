"""What teachers make, connected to storage: kinds, the model endpoint, artifacts and versions.

This layer joins ``generation`` (prompts, model, checks), ``exports`` (Word) and
``storage``; views and jobs call it, so they stay thin.
"""
