import Testing
import LinearAlgebra
