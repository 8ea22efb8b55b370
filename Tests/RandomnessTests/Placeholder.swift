import Testing
import Randomness
