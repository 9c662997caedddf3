package main

import (
	"context"
	"fmt"
	"os"

	"github.com/compose-spec/compose-go/v2/cli"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: compose-check <compose.yml> [env-file]")
		os.Exit(2)
	}
	opts := []cli.ProjectOptionsFn{cli.WithName("identity-platform"), cli.WithResolvedPaths(true)}
	if len(os.Args) > 2 {
		opts = append(opts, cli.WithEnvFiles(os.Args[2]), cli.WithDotEnv)
	}
	options, err := cli.NewProjectOptions([]string{os.Args[1]}, opts...)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	project, err := options.LoadProject(context.Background())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("%s: %d services valid\n", os.Args[1], len(project.Services))
}
