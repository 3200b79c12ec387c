"""The national image identity: tokens, artwork and everything generated from them."""
