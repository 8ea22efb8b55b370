import Testing
import PropertyEngine
