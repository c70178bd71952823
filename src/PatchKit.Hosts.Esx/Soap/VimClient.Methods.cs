using System.Globalization;
using System.Xml;

namespace PatchKit.Hosts.Esx.Soap;

/// <summary>The vSphere methods PatchKit calls, shaped as govmomi shapes them.</summary>
internal sealed partial class VimClient
{
    private static readonly ManagedObjectReference s_serviceInstance = new("ServiceInstance", "ServiceInstance");

    public async Task<VimServiceContent> RetrieveServiceContentAsync(CancellationToken cancellationToken)
    {
        var r = await InvokeAsync("RetrieveServiceContent", s_serviceInstance, null, idempotent: true, cancellationToken).ConfigureAwait(false);
        var sc = r.FirstOrDefault() ?? throw new VimFaultException("Xml", "RetrieveServiceContent at " + _endpoint + " returned nothing.");
        var about = sc.Child("about");
        ManagedObjectReference Ref(string name) => sc.Child(name)?.AsMoref() ?? throw new VimFaultException("Xml", "The ServiceContent of " + _endpoint + " has no " + name + ".");
        return new VimServiceContent
        {
            RootFolder = Ref("rootFolder"),
            PropertyCollector = Ref("propertyCollector"),
            ViewManager = Ref("viewManager"),
            SessionManager = Ref("sessionManager"),
            CustomFieldsManager = sc.Child("customFieldsManager")?.AsMoref(),
            FileManager = sc.Child("fileManager")?.AsMoref(),
            ApiType = about?.ChildText("apiType") ?? string.Empty,
            ApiVersion = about?.ChildText("apiVersion") ?? string.Empty,
            FullName = about?.ChildText("fullName") ?? string.Empty,
        };
    }

    public async Task LoginAsync(ManagedObjectReference sessionManager, string userName, string password, CancellationToken cancellationToken)
    {
        ForgetSession();
        await InvokeAsync("Login", sessionManager, w =>
        {
            w.WriteElementString("userName", VimXml.VimNamespace, userName);
            w.WriteElementString("password", VimXml.VimNamespace, password);
        }, idempotent: true, cancellationToken).ConfigureAwait(false);
        if (!HasSession)
        {
            throw new VimFaultException("NoSession", "Login at " + _endpoint + " succeeded but set no session cookie.");
        }
    }

    public async Task LogoutAsync(ManagedObjectReference sessionManager, CancellationToken cancellationToken)
    {
        if (HasSession)
        {
            await InvokeAsync("Logout", sessionManager, null, idempotent: true, cancellationToken).ConfigureAwait(false);
            ForgetSession();
        }
    }

    public async Task<ManagedObjectReference> CreateContainerViewAsync(ManagedObjectReference viewManager, ManagedObjectReference container, IReadOnlyList<string> types, CancellationToken cancellationToken)
    {
        var r = await InvokeAsync("CreateContainerView", viewManager, w =>
        {
            WriteMoref(w, "container", container);
            foreach (string t in types)
            {
                w.WriteElementString("type", VimXml.VimNamespace, t);
            }

            w.WriteElementString("recursive", VimXml.VimNamespace, "true");
        }, idempotent: false, cancellationToken).ConfigureAwait(false);
        return r.FirstOrDefault()?.AsMoref() ?? throw new VimFaultException("Xml", "CreateContainerView at " + _endpoint + " returned no view.");
    }

    public Task DestroyViewAsync(ManagedObjectReference view, CancellationToken cancellationToken) =>
        InvokeAsync("DestroyView", view, null, idempotent: true, cancellationToken);

    /// <summary>Every object of the view's types with the paths given per type, page by page
    /// (RetrievePropertiesEx, then ContinueRetrievePropertiesEx while a token comes back).</summary>
    public async Task RetrieveViewAsync(ManagedObjectReference propertyCollector, ManagedObjectReference view, IReadOnlyList<(string Type, string[] Paths)> props,
        int pageSize, Action<ObjectContent> onObject, CancellationToken cancellationToken)
    {
        var r = await InvokeAsync("RetrievePropertiesEx", propertyCollector, w =>
        {
            w.WriteStartElement("specSet", VimXml.VimNamespace);
            WritePropSets(w, props);
            w.WriteStartElement("objectSet", VimXml.VimNamespace);
            WriteMoref(w, "obj", view);
            w.WriteElementString("skip", VimXml.VimNamespace, "true");
            w.WriteStartElement("selectSet", VimXml.VimNamespace);
            w.WriteAttributeString("type", VimXml.XsiNamespace, "TraversalSpec");
            w.WriteElementString("name", VimXml.VimNamespace, "view");
            w.WriteElementString("type", VimXml.VimNamespace, "ContainerView");
            w.WriteElementString("path", VimXml.VimNamespace, "view");
            w.WriteElementString("skip", VimXml.VimNamespace, "false");
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteEndElement();
            WriteRetrieveOptions(w, pageSize);
        }, idempotent: true, cancellationToken).ConfigureAwait(false);
        string? token = ReadPage(r, onObject);
        while (token is not null)
        {
            string t = token;
            r = await InvokeAsync("ContinueRetrievePropertiesEx", propertyCollector, w => w.WriteElementString("token", VimXml.VimNamespace, t), idempotent: false, cancellationToken).ConfigureAwait(false);
            token = ReadPage(r, onObject);
        }
    }

    /// <summary>Properties of the given objects (one RetrievePropertiesEx); objects that no longer exist are absent.</summary>
    public async Task<List<ObjectContent>> RetrieveObjectsAsync(ManagedObjectReference propertyCollector, IReadOnlyList<ManagedObjectReference> objects, string[] paths, CancellationToken cancellationToken)
    {
        var result = new List<ObjectContent>();
        if (objects.Count == 0)
        {
            return result;
        }

        var byType = objects.Select(o => o.Type).Distinct(StringComparer.Ordinal).Select(t => (t, paths)).ToList();
        var r = await InvokeAsync("RetrievePropertiesEx", propertyCollector, w =>
        {
            w.WriteStartElement("specSet", VimXml.VimNamespace);
            WritePropSets(w, byType);
            foreach (var o in objects)
            {
                w.WriteStartElement("objectSet", VimXml.VimNamespace);
                WriteMoref(w, "obj", o);
                w.WriteElementString("skip", VimXml.VimNamespace, "false");
                w.WriteEndElement();
            }

            w.WriteElementString("reportMissingObjectsInResults", VimXml.VimNamespace, "true");
            w.WriteEndElement();
            WriteRetrieveOptions(w, 0);
        }, idempotent: true, cancellationToken).ConfigureAwait(false);
        string? token = ReadPage(r, result.Add);
        while (token is not null)
        {
            string t = token;
            r = await InvokeAsync("ContinueRetrievePropertiesEx", propertyCollector, w => w.WriteElementString("token", VimXml.VimNamespace, t), idempotent: false, cancellationToken).ConfigureAwait(false);
            token = ReadPage(r, result.Add);
        }

        return result;
    }

    private static void WritePropSets(XmlWriter w, IReadOnlyList<(string Type, string[] Paths)> props)
    {
        foreach (var (type, paths) in props)
        {
            w.WriteStartElement("propSet", VimXml.VimNamespace);
            w.WriteElementString("type", VimXml.VimNamespace, type);
            w.WriteElementString("all", VimXml.VimNamespace, "false");
            foreach (string p in paths)
            {
                w.WriteElementString("pathSet", VimXml.VimNamespace, p);
            }

            w.WriteEndElement();
        }
    }

    private static void WriteRetrieveOptions(XmlWriter w, int pageSize)
    {
        w.WriteStartElement("options", VimXml.VimNamespace);
        if (pageSize > 0)
        {
            w.WriteElementString("maxObjects", VimXml.VimNamespace, pageSize.ToString(CultureInfo.InvariantCulture));
        }

        w.WriteEndElement();
    }

    private static string? ReadPage(List<VimNode> r, Action<ObjectContent> onObject)
    {
        var page = r.FirstOrDefault();
        if (page is null)
        {
            return null;
        }

        foreach (var o in page.ChildrenNamed("objects"))
        {
            var content = ObjectContent.From(o);
            if (content.Missing.ContainsValue("NotAuthenticated"))
            {
                throw new VimFaultException("NotAuthenticated", "RetrievePropertiesEx: the session is not authenticated.");
            }

            onObject(content);
        }

        return page.ChildText("token") is { Length: > 0 } token ? token : null;
    }

    /// <summary>Waits for a task to end: a filter on its <c>info</c>, WaitForUpdatesEx until the state is success or
    /// error or the timeout passes (then the last state seen is returned, not done), the filter destroyed afterwards.</summary>
    public async Task<VimTaskInfo> WaitForTaskAsync(ManagedObjectReference propertyCollector, ManagedObjectReference task, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var filter = await InvokeAsync("CreateFilter", propertyCollector, w =>
        {
            w.WriteStartElement("spec", VimXml.VimNamespace);
            w.WriteStartElement("propSet", VimXml.VimNamespace);
            w.WriteElementString("type", VimXml.VimNamespace, "Task");
            w.WriteElementString("all", VimXml.VimNamespace, "false");
            w.WriteElementString("pathSet", VimXml.VimNamespace, "info");
            w.WriteEndElement();
            w.WriteStartElement("objectSet", VimXml.VimNamespace);
            WriteMoref(w, "obj", task);
            w.WriteElementString("skip", VimXml.VimNamespace, "false");
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteElementString("partialUpdates", VimXml.VimNamespace, "false");
        }, idempotent: false, cancellationToken).ConfigureAwait(false);
        var filterRef = filter.FirstOrDefault()?.AsMoref() ?? throw new VimFaultException("Xml", "CreateFilter at " + _endpoint + " returned no filter.");
        try
        {
            long start = _time.GetTimestamp();
            string version = string.Empty;
            string state = string.Empty;
            VimNode? error = null;
            VimNode? result = null;
            while (true)
            {
                TimeSpan left = timeout == Timeout.InfiniteTimeSpan ? TimeSpan.FromSeconds(60) : timeout - _time.GetElapsedTime(start);
                if (left <= TimeSpan.Zero)
                {
                    return Info();
                }

                int wait = (int)Math.Clamp(Math.Ceiling(left.TotalSeconds), 1, 60);
                string v = version;
                var updates = await InvokeAsync("WaitForUpdatesEx", propertyCollector, w =>
                {
                    w.WriteElementString("version", VimXml.VimNamespace, v);
                    w.WriteStartElement("options", VimXml.VimNamespace);
                    w.WriteElementString("maxWaitSeconds", VimXml.VimNamespace, wait.ToString(CultureInfo.InvariantCulture));
                    w.WriteEndElement();
                }, idempotent: true, cancellationToken).ConfigureAwait(false);
                if (updates.FirstOrDefault() is not { } set)
                {
                    continue; // maxWaitSeconds passed without a change
                }

                version = set.ChildText("version") ?? version;
                foreach (var fs in set.ChildrenNamed("filterSet"))
                {
                    foreach (var os in fs.ChildrenNamed("objectSet"))
                    {
                        foreach (var change in os.ChildrenNamed("changeSet"))
                        {
                            var val = change.Child("val");
                            switch (change.ChildText("name"))
                            {
                                case "info" when val is not null:
                                    state = val.ChildText("state") ?? state;
                                    error = val.Child("error");
                                    result = val.Child("result");
                                    break;
                                case "info.state":
                                    state = val?.Text ?? state;
                                    break;
                                case "info.error":
                                    error = val;
                                    break;
                                case "info.result":
                                    result = val;
                                    break;
                            }
                        }
                    }
                }

                if (state is "success" or "error")
                {
                    return Info();
                }
            }

            VimTaskInfo Info() => new()
            {
                Task = task,
                State = state,
                ErrorType = error?.Child("fault")?.XsiType,
                ErrorMessage = error?.ChildText("localizedMessage"),
                Result = result,
            };
        }
        finally
        {
            try
            {
                using var cleanup = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await InvokeAsync("DestroyPropertyFilter", filterRef, null, idempotent: true, cleanup.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is VimFaultException or OperationCanceledException)
            {
                // The filter belongs to the session and goes with it.
            }
        }
    }

    /// <summary>Starts a method that returns a Task and returns the task's moref.</summary>
    public async Task<ManagedObjectReference> StartTaskAsync(string method, ManagedObjectReference self, Action<XmlWriter>? arguments, CancellationToken cancellationToken)
    {
        var r = await InvokeAsync(method, self, arguments, idempotent: false, cancellationToken).ConfigureAwait(false);
        return r.FirstOrDefault()?.AsMoref() ?? throw new VimFaultException("Xml", method + " at " + _endpoint + " returned no task.");
    }
}
