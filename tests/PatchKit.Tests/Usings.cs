global using PatchKit.Tests.Infrastructure;
