import Testing
import Instances
