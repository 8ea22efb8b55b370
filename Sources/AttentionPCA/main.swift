print("attention-pca: not yet implemented")
