import Testing
import Statistics
