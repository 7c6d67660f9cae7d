"""Prediction with a trained model: ``load_model(run).predict(data)`` (``model``), over files
of any size (``files``) and on a Dask cluster (``cluster``)."""
