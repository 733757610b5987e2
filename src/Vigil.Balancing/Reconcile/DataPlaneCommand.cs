using Vigil.Balancing.Model;

namespace Vigil.Balancing.Reconcile;

/// <summary>One change to a data plane; a backend applies a list of them in order, as one batch where it can.</summary>
public abstract record DataPlaneCommand(ServiceKey Service);

public sealed record AddService(ServiceKey Service, ServiceSpec Spec) : DataPlaneCommand(Service)
{
    public override string ToString() => $"add service {Service} {Spec.Scheduler}";
}

public sealed record UpdateService(ServiceKey Service, ServiceSpec Spec) : DataPlaneCommand(Service)
{
    public override string ToString() => $"set service {Service} {Spec.Scheduler}";
}

/// <summary>Removes the service and, with it, its destinations.</summary>
public sealed record DeleteService(ServiceKey Service) : DataPlaneCommand(Service)
{
    public override string ToString() => $"delete service {Service}";
}

public sealed record AddDestination(ServiceKey Service, DestinationKey Destination, DestinationSpec Spec) : DataPlaneCommand(Service)
{
    public override string ToString() => $"add dest {Destination} to {Service} weight {Spec.Weight}";
}

public sealed record UpdateDestination(ServiceKey Service, DestinationKey Destination, DestinationSpec Spec) : DataPlaneCommand(Service)
{
    public override string ToString() => $"set dest {Destination} of {Service} weight {Spec.Weight}";
}

public sealed record DeleteDestination(ServiceKey Service, DestinationKey Destination) : DataPlaneCommand(Service)
{
    public override string ToString() => $"delete dest {Destination} from {Service}";
}
