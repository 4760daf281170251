//go:build !race

package storetest

// raceBuild: this binary runs with the race detector.
const raceBuild = false
