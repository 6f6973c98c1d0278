"""Writes experiments/data/digits.txt from scikit-learn's bundled 8x8 digits (load_digits: 1,797
images, pixel values 0..16): one image per line, the label, a space, then the 64 pixels row-major
as base-17 digits 0-9a-g. Run once: python experiments/data/export_digits.py (scikit-learn 1.9.1)."""
import os

from sklearn.datasets import load_digits

digits = load_digits()
alphabet = "0123456789abcdefg"
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "digits.txt")
with open(path, "w") as f:
    for image, label in zip(digits.data.astype(int), digits.target):
        assert image.min() >= 0 and image.max() <= 16
        f.write(f"{label} {''.join(alphabet[v] for v in image)}\n")
print(f"wrote {len(digits.target)} images to {path}")
