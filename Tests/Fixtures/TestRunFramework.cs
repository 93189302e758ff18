using System.Reflection;
using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: TestFramework("CartGraph.Tests.TestRunFramework", "CartGraph.Tests")]

namespace CartGraph.Tests;

/// <summary>
/// The default xunit 2 framework plus one thing: the shared test server is released as the last step of
/// the run, before xunit reports the assembly finished.
/// </summary>
/// <remarks>NOTE: later is too late: vstest kills the test host within a fraction of a second after the run
/// is reported, which cut off both ProcessExit handlers and the framework's own Dispose mid-stop.</remarks>
public sealed class TestRunFramework(IMessageSink diagnosticMessageSink) : XunitTestFramework(diagnosticMessageSink)
{
    protected override ITestFrameworkExecutor CreateExecutor(AssemblyName assemblyName) =>
        new Executor(assemblyName, SourceInformationProvider, DiagnosticMessageSink);

    sealed class Executor(AssemblyName assemblyName, ISourceInformationProvider sourceInformation, IMessageSink diagnostics)
        : XunitTestFrameworkExecutor(assemblyName, sourceInformation, diagnostics)
    {
        protected override async void RunTestCases(
            IEnumerable<IXunitTestCase> testCases, IMessageSink executionMessageSink, ITestFrameworkExecutionOptions executionOptions)
        {
            using var runner = new AssemblyRunner(TestAssembly, testCases, DiagnosticMessageSink, executionMessageSink, executionOptions);
            await runner.RunAsync();
        }
    }

    sealed class AssemblyRunner(
        ITestAssembly testAssembly, IEnumerable<IXunitTestCase> testCases, IMessageSink diagnostics,
        IMessageSink executionMessageSink, ITestFrameworkExecutionOptions executionOptions)
        : XunitTestAssemblyRunner(testAssembly, testCases, diagnostics, executionMessageSink, executionOptions)
    {
        protected override async Task BeforeTestAssemblyFinishedAsync()
        {
            await SharedTestServer.ReleaseIfChosenAsync();
            await base.BeforeTestAssemblyFinishedAsync();
        }
    }
}
