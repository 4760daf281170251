//go:build !race

package label_test

// raceBuild: the tests run with the race detector (about ten times slower
// at drawing and decoding).
const raceBuild = false
