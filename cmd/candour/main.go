// Command candour is the whole of candour in one binary: the web
// application, the JSON API and the administration commands.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"candour/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:], cli.Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv})
	stop()
	os.Exit(code)
}
