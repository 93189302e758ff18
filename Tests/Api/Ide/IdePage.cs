using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CartGraph.Tests.Api.Ide;

/// <summary>What a person does in Banana Cake Pop 18, and where it shows: the one place that knows the IDE's markup.</summary>
public sealed class IdePage(IPage page)
{
    /// <summary>The editor where the operation is written, and the one that shows the last response.</summary>
    public ILocator Request => page.Locator(".monaco-editor[data-uri^='file:///operations/']");

    public ILocator Response => page.Locator(".monaco-editor[data-uri^='inmemory://']");

    /// <summary>The IDE's start screen is up.</summary>
    public Task StartedAsync() => Expect(page.GetByRole(AriaRole.Button, new() { Name = "Create Document" })).ToBeVisibleAsync();

    /// <summary>Opens a new document and waits until the IDE says it has the schema (it introspects the endpoint).</summary>
    public async Task CreateDocumentAsync()
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Create Document" }).ClickAsync();
        await Expect(page.GetByText("Schema available")).ToBeVisibleAsync();
    }

    /// <summary>The endpoint the document is connected to, as its connection button names it.</summary>
    public ILocator Endpoint(Uri graphQL) => page.GetByLabel(graphQL.ToString(), new() { Exact = true });

    /// <summary>The schema reference (the docs), with the line of one field.</summary>
    /// <remarks>NOTE: Banana Cake Pop 18 keeps showing "No Schema" here (Reload Schema does not help) when this view is
    /// first opened within a second or so of "Schema available"; open it after an operation has run.</remarks>
    public async Task<ILocator> SchemaReferenceAsync(string fieldLine)
    {
        await page.GetByText("Schema Reference", new() { Exact = true }).ClickAsync();
        return page.GetByText(fieldLine, new() { Exact = true }).First;
    }

    public Task ShowOperationAsync() => page.GetByText("Operation", new() { Exact = true }).First.ClickAsync();

    /// <summary>Writes <paramref name="document"/> over the request editor's text and runs it.</summary>
    public async Task RunAsync(string document)
    {
        await ShowOperationAsync();
        await Request.ClickAsync();
        await page.Keyboard.PressAsync("ControlOrMeta+A");
        // Inserted, not typed: the editor would otherwise close every bracket a second time.
        await page.Keyboard.InsertTextAsync(document);
        // The "Run" code lens shows once the IDE has parsed the operation; before that, Run sends an empty document.
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Run ▷" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Run Operation" }).ClickAsync();
    }
}
